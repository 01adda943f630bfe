import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Scans everything the test suite printed for the passwords the tests use, and for their AUTH
 * PLAIN and AUTH LOGIN base64 forms. Run by .ci/run after {@code ./mvnw -B verify}, which in CI
 * logs every smarthost logger at DEBUG and keeps each test class's output in
 * target/surefire-reports.
 *
 * <p>Usage: {@code java .ci/ScanTestOutput.java ROOT [FILE...]}: every *-output.txt under
 * ROOT/*&#47;target/surefire-reports plus the given files (the build log). Exits 1 naming file,
 * line and which secret (by label, never the value) when one is found, 2 when there was nothing
 * to scan.
 */
public class ScanTestOutput {
  /** The passwords in the tests that are distinctive enough to find (short ones like "pw" are not). */
  static final List<String> PASSWORDS =
      List.of(
          "s3cret-Pässwörd",
          "s3cret-Pässwörd-密码",
          "s3cret",
          "Pässwörd-密码 =#",
          "bench-Pässwörd",
          "demo-Pässwörd",
          "Pässwörd",
          " Pä$$ =#wörd 密码 😀 ",
          " a=b #c  Pässwörd😀 ",
          "Passwort",
          "Leak-Marker-Pässwörd-4711",
          "S3CR3T",
          // OAuth 2.0 client secrets (each test's secret contains one of the first two)
          "Secret~Marker",
          "Secret.Marker",
          "Interop~Client.Secret_77",
          "cl13nt~s3cr3t=#");

  /** Mailboxes that log in with XOAUTH2 in the tests. */
  static final List<String> MAILBOXES =
      List.of("notifications@contoso.com", "box@contoso.com", "notifications@example.org");

  /** Access tokens: the CLI test's fixed one, and any JWT sent as a bearer token in plain text. */
  static final List<String> TOKENS = List.of("-access-token.sig", "Bearer eyJ");

  static final List<String> USERS = List.of("app", "bench", "demo", "u", "ü@example.org");

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: java .ci/ScanTestOutput.java ROOT [FILE...]");
      System.exit(2);
    }
    Map<String, String> needles = needles();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> modules = Files.list(Path.of(args[0]))) {
      for (Path module : (Iterable<Path>) modules::iterator) {
        Path reports = module.resolve("target/surefire-reports");
        if (Files.isDirectory(reports)) {
          try (Stream<Path> s = Files.list(reports)) {
            s.filter(p -> p.getFileName().toString().endsWith("-output.txt")).forEach(files::add);
          }
        }
      }
    }
    for (int i = 1; i < args.length; i++) {
      files.add(Path.of(args[i]));
    }
    long bytes = 0;
    long lines = 0;
    int found = 0;
    for (Path file : files) {
      List<String> content =
          List.of(
              new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1));
      bytes += Files.size(file);
      for (int n = 0; n < content.size(); n++) {
        lines++;
        for (Map.Entry<String, String> needle : needles.entrySet()) {
          if (content.get(n).contains(needle.getValue())) {
            System.err.println(file + ":" + (n + 1) + ": contains " + needle.getKey());
            found++;
          }
        }
      }
    }
    System.out.printf(
        "secret scan: %d files, %d lines, %.1f MB, %d needles, %d found%n",
        files.size(), lines, bytes / 1e6, needles.size(), found);
    if (files.isEmpty() || lines == 0) {
      System.err.println("secret scan: nothing to scan; was the suite run with CI=true?");
      System.exit(2);
    }
    System.exit(found == 0 ? 0 : 1);
  }

  /** Label (safe to print) → text to look for. */
  static Map<String, String> needles() {
    Map<String, String> needles = new LinkedHashMap<>();
    Base64.Encoder b64 = Base64.getEncoder();
    for (int i = 0; i < PASSWORDS.size(); i++) {
      String password = PASSWORDS.get(i);
      needles.put("test password #" + i, password);
      needles.put(
          "test password #" + i + " as AUTH LOGIN",
          unpadded(b64.encodeToString(password.getBytes(StandardCharsets.UTF_8))));
      for (String user : USERS) {
        needles.put(
            "test password #" + i + " as AUTH PLAIN for " + user,
            unpadded(
                b64.encodeToString(
                    ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8))));
      }
    }
    for (int i = 0; i < TOKENS.size(); i++) {
      needles.put("test token #" + i, TOKENS.get(i));
    }
    for (String mailbox : MAILBOXES) {
      // The XOAUTH2 initial response "user=M^Aauth=Bearer <token>^A^A", base64: its prefix up to
      // the last whole 3-byte group before the token is the same for every token.
      byte[] prefix = ("user=" + mailbox + "\u0001auth=Bearer ").getBytes(StandardCharsets.UTF_8);
      byte[] whole = java.util.Arrays.copyOf(prefix, prefix.length / 3 * 3);
      needles.put("XOAUTH2 response for " + mailbox, b64.encodeToString(whole));
    }
    return needles;
  }

  private static String unpadded(String base64) {
    return base64.replaceAll("=+$", "");
  }
}
