import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Proves that a profile's tests ran: every test class whose source carries {@code @Tag(TAG)} must
 * have a Surefire report written after the marker file, with at least one test and none skipped.
 * A count, not a hope: a suite that silently ran nothing fails here.
 *
 * <p>Usage: {@code java .ci/RequireTaggedTests.java ROOT TAG MARKER}. Exits 1 naming each class
 * that did not run, 2 when no source carries the tag.
 */
public class RequireTaggedTests {
  static final Pattern ATTRIBUTE = Pattern.compile("\\b(tests|skipped|failures|errors)=\"(\\d+)\"");

  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    String tag = args[1];
    FileTime since = Files.getLastModifiedTime(Path.of(args[2]));
    List<Path> sources;
    try (Stream<Path> files = Files.walk(root)) {
      sources =
          files
              .filter(p -> p.toString().endsWith("Test.java"))
              .filter(p -> p.toString().contains("/src/test/java/"))
              .filter(p -> !p.toString().contains("/target/"))
              .filter(p -> read(p).contains("@Tag(\"" + tag + "\")"))
              .sorted()
              .toList();
    }
    if (sources.isEmpty()) {
      System.err.println("no test class carries @Tag(\"" + tag + "\")");
      System.exit(2);
    }
    List<String> problems = new ArrayList<>();
    int total = 0;
    for (Path source : sources) {
      String s = source.toString();
      Path module = Path.of(s.substring(0, s.indexOf("/src/test/java/")));
      String className =
          s.substring(s.indexOf("/src/test/java/") + "/src/test/java/".length(), s.length() - 5)
              .replace('/', '.');
      Path report = module.resolve("target/surefire-reports/TEST-" + className + ".xml");
      if (!Files.exists(report) || Files.getLastModifiedTime(report).compareTo(since) < 0) {
        problems.add(className + ": did not run (no new report " + report + ")");
        continue;
      }
      String head = read(report);
      head = head.substring(0, head.indexOf('>', head.indexOf("<testsuite")));
      int tests = 0;
      int skipped = 0;
      Matcher m = ATTRIBUTE.matcher(head);
      while (m.find()) {
        int n = Integer.parseInt(m.group(2));
        switch (m.group(1)) {
          case "tests" -> tests = n;
          case "skipped" -> skipped = n;
          default -> {}
        }
      }
      if (tests == 0 || skipped > 0) {
        problems.add(className + ": " + tests + " tests, " + skipped + " skipped");
      }
      total += tests;
      System.out.println("  " + className + ": " + tests + " tests");
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("profile " + tag + ": " + p));
      System.exit(1);
    }
    System.out.println(
        "profile " + tag + ": " + total + " tests in " + sources.size() + " classes, all ran");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new IllegalStateException(p.toString(), e);
    }
  }
}
