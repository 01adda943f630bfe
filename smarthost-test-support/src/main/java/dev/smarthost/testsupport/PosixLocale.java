package dev.smarthost.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a main class in a child JVM under a POSIX locale ({@code LANG=C}, {@code
 * file.encoding=US-ASCII}): on JDK 17 the platform charset is then US-ASCII, which Jakarta Mail
 * takes as the default for text and headers. The child should print ASCII only (escape the rest).
 */
public final class PosixLocale {
  private PosixLocale() {}

  /**
   * Runs {@code main} with this JVM's class path and returns its output, once it exited with 0.
   *
   * @param main the class whose {@code main} runs
   * @return the lines it printed (standard output and error)
   * @throws AssertionError if it ran over a minute or exited with another code (with its output)
   * @throws IOException if it could not be started
   * @throws InterruptedException if interrupted while waiting
   */
  public static List<String> run(Class<?> main) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder pb =
        new ProcessBuilder(
            java.toString(),
            "-Dfile.encoding=US-ASCII",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName());
    pb.environment().put("LANG", "C");
    pb.environment().put("LC_ALL", "C");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.redirectErrorStream(true);
    Process child = pb.start();
    byte[] out = child.getInputStream().readAllBytes(); // ends when the child does
    if (!child.waitFor(60, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      throw new AssertionError(main.getName() + " ran over a minute");
    }
    String text = new String(out, StandardCharsets.US_ASCII);
    if (child.exitValue() != 0) {
      throw new AssertionError(main.getName() + " exited with " + child.exitValue() + ":\n" + text);
    }
    return text.lines().toList();
  }

  /**
   * Writes text as ASCII, every other character as {@code \\uXXXX}, so that it survives any output
   * charset.
   *
   * @param text the text
   * @return the escaped text
   */
  public static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.chars()
        .forEach(c -> out.append(c < 128 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
    return out.toString();
  }
}
