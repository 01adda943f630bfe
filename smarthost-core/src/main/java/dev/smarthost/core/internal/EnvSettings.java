package dev.smarthost.core.internal;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The cluster's {@code SMTP_*} keys, from an env file or the environment, to settings. Values are
 * verbatim; every error names the source, the line (for files) and the key, and never a password.
 */
public final class EnvSettings {
  public static final String ENABLED = "SMTP_ENABLED";
  public static final String HOST = "SMTP_HOST";
  public static final String PORT = "SMTP_PORT";
  public static final String USERNAME = "SMTP_USERNAME";
  public static final String PASSWORD = "SMTP_PASSWORD";
  public static final String ENCRYPTION = "SMTP_ENCRYPTION";
  public static final String TLS_VERIFY = "SMTP_TLSVERIFY";

  /** A value and the 1-based line it came from (0 for the environment). */
  public static final class Value {
    final String text;
    final int line;

    Value(String text, int line) {
      this.text = text;
      this.line = line;
    }
  }

  private final String source;
  private final Map<String, Value> values;

  private EnvSettings(String source, Map<String, Value> values) {
    this.source = source;
    this.values = values;
  }

  /** Keys from the environment; lines are not known. */
  public static EnvSettings ofEnvironment(String source, Map<String, String> environment) {
    Map<String, Value> values = new HashMap<>();
    environment.forEach((k, v) -> values.put(k, new Value(v, 0)));
    return new EnvSettings(source, values);
  }

  /**
   * Parses an env file: {@code KEY=value} lines, value verbatim after the first {@code =} up to the
   * end of the line (a trailing CR stripped); blank lines and lines starting with {@code #} are
   * comments; a later key wins.
   */
  public static EnvSettings parseFile(String source, byte[] content) {
    String text = decode(source, content);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    Map<String, Value> values = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line =
          lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      int number = i + 1;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        // Never echo the line: it may be a fragment of a password.
        throw SmarthostConfigurationException.forLine(source, number, null, "expected KEY=value");
      }
      String key = line.substring(0, eq);
      if (!isKey(key)) {
        // Never echo it either: a password wrapped onto this line can contain '='.
        throw SmarthostConfigurationException.forLine(
            source,
            number,
            null,
            "the text before '=' is not a valid key (letters, digits and _ only)");
      }
      values.put(key, new Value(line.substring(eq + 1), number));
    }
    return new EnvSettings(source, values);
  }

  /** Returns the settings, or empty if {@code SMTP_ENABLED} is off. */
  public Optional<SmarthostSettings> toSettings() {
    String enabled = text(ENABLED);
    if (enabled == null || enabled.isEmpty() || enabled.equals("0")) {
      return Optional.empty();
    }
    if (!enabled.equals("1")) {
      throw error(ENABLED, "'" + printable(enabled) + "' is not 1 (on) or empty (off)");
    }
    SmarthostSettings.Builder b = SmarthostSettings.builder();
    String host = text(HOST);
    if (host == null || host.isEmpty()) {
      throw error(HOST, "required when " + ENABLED + "=1");
    }
    apply(HOST, () -> b.host(host));
    String encryption = text(ENCRYPTION);
    if (encryption != null && !encryption.isEmpty()) {
      apply(ENCRYPTION, () -> b.encryption(Encryption.fromConfigValue(encryption)));
    }
    String port = text(PORT);
    if (port != null && !port.isEmpty()) {
      b.port(parsePort(port));
    }
    String verify = text(TLS_VERIFY);
    if (verify != null) {
      if (!verify.isEmpty() && !verify.equals("1") && !verify.equals("0")) {
        throw error(TLS_VERIFY, "'" + printable(verify) + "' is not 1 (verify) or empty (don't)");
      }
      b.verifyTls(verify.equals("1"));
    }
    String user = text(USERNAME);
    String password = text(PASSWORD);
    String u = user == null ? "" : user;
    String p = password == null ? "" : password;
    if (u.isEmpty() != p.isEmpty()) {
      throw u.isEmpty()
          ? error(USERNAME, "required when " + PASSWORD + " is set")
          : error(PASSWORD, "required when " + USERNAME + " is set");
    }
    apply(USERNAME, () -> b.credentials(u, p));
    return Optional.of(b.build());
  }

  private int parsePort(String port) {
    int value;
    try {
      value = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw error(PORT, "'" + printable(port) + "' is not a number");
    }
    if (value < 1 || value > 65535) {
      throw error(PORT, "'" + port + "' is not a port (1–65535)");
    }
    return value;
  }

  private void apply(String key, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      int colon = message.indexOf(": ");
      throw error(key, colon >= 0 ? message.substring(colon + 2) : message);
    }
  }

  private @Nullable String text(String key) {
    Value v = values.get(key);
    return v == null ? null : v.text;
  }

  private SmarthostConfigurationException error(String key, String problem) {
    Value v = values.get(key);
    return v != null && v.line > 0
        ? SmarthostConfigurationException.forLine(source, v.line, key, problem)
        : SmarthostConfigurationException.forKey(source, key, problem);
  }

  private static boolean isKey(String key) {
    if (key.isEmpty() || Character.isDigit(key.charAt(0))) {
      return false;
    }
    return key.chars()
        .allMatch(
            c ->
                c == '_'
                    || (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9'));
  }

  /** Shows a non-secret value with control characters escaped, shortened. */
  private static String printable(String value) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < value.length() && b.length() < 64; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return value.length() > 64 ? b + "…" : b.toString();
  }

  private static String decode(String source, byte[] content) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      throw SmarthostConfigurationException.forSource(source, "not valid UTF-8", null);
    }
  }
}
