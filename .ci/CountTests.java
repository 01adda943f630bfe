import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Adds up every Surefire report of the reactor's modules (the default run and the system-servers
 * profile) and prints one closing line, {@code tests: N passed, F failed}. Exits 1 if any failed
 * or was skipped, 2 if none ran.
 *
 * <p>Usage: {@code java .ci/CountTests.java ROOT}.
 */
public class CountTests {
  static final Pattern ATTRIBUTE =
      Pattern.compile("\\b(tests|skipped|failures|errors)=\"(\\d+)\"");

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    int tests = 0;
    int failed = 0;
    int skipped = 0;
    List<Path> reports;
    try (Stream<Path> modules = Files.list(root)) {
      reports =
          modules
              .map(m -> m.resolve("target/surefire-reports"))
              .filter(Files::isDirectory)
              .flatMap(CountTests::reports)
              .toList();
    }
    for (Path report : reports) {
      String text = Files.readString(report);
      String head = text.substring(0, text.indexOf('>', text.indexOf("<testsuite")));
      Matcher m = ATTRIBUTE.matcher(head);
      while (m.find()) {
        int n = Integer.parseInt(m.group(2));
        switch (m.group(1)) {
          case "tests" -> tests += n;
          case "skipped" -> skipped += n;
          default -> failed += n;
        }
      }
    }
    int passed = tests - failed - skipped;
    System.out.println("tests: " + passed + " passed, " + failed + " failed, " + skipped + " skipped");
    if (tests == 0) {
      System.exit(2);
    }
    if (failed > 0 || skipped > 0) {
      System.exit(1);
    }
  }

  private static Stream<Path> reports(Path dir) {
    try {
      return Files.list(dir)
          .filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml"))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new IllegalStateException(dir.toString(), e);
    }
  }
}
