import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extracts the README's quick start into a project directory: every fenced block under "## Quick
 * start" whose first line names its path ({@code <!-- pom.xml -->}, {@code // src/...java}, {@code
 * # smarthost.env}) is written there verbatim, first line included. Fails when the section has no
 * such blocks or a path would leave the directory.
 *
 * <p>Usage: {@code java .ci/QuickStart.java README.md target/quickstart}
 */
public class QuickStart {
  private static final Pattern FENCE = Pattern.compile("(?m)^```[a-z]*\\n(.*?)^```$", Pattern.DOTALL);
  private static final Pattern PATH =
      Pattern.compile("^(?:<!-- (\\S+) -->|// (\\S+\\.java)|# (\\S+))$");

  public static void main(String[] args) throws Exception {
    String readme = Files.readString(Path.of(args[0]));
    Path out = Path.of(args[1]).toAbsolutePath().normalize();
    int start = readme.indexOf("\n## Quick start\n");
    if (start < 0) {
      throw new IllegalStateException(args[0] + " has no '## Quick start' section");
    }
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> written = new ArrayList<>();
    Matcher block = FENCE.matcher(section);
    while (block.find()) {
      String content = block.group(1);
      String first = content.lines().findFirst().orElse("");
      Matcher path = PATH.matcher(first);
      if (!path.matches()) {
        continue; // a block without a path is prose, not a file
      }
      String name = path.group(1) != null ? path.group(1) : path.group(2) != null ? path.group(2) : path.group(3);
      Path file = out.resolve(name).normalize();
      if (!file.startsWith(out)) {
        throw new IllegalStateException("quick start: " + name + " leaves the project directory");
      }
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      written.add(name);
    }
    if (!written.contains("pom.xml") || written.stream().noneMatch(n -> n.startsWith("src/test/"))) {
      throw new IllegalStateException("quick start: expected a pom.xml and a test, found " + written);
    }
    System.out.println("quick start: " + String.join(", ", written));
  }
}
