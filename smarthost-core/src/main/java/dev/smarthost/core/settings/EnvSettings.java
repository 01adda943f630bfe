package dev.smarthost.core.settings;

import dev.smarthost.SettingsCodec;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's {@code SMTP_*} keys, from an env file or the environment, to settings. Values are
 * verbatim; every error names the source, the line (for files) and the key, and never a password.
 */
final class EnvSettings {
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

  /** Returns the settings, or empty if e-mail is switched off ({@link SettingsCodec#ENV_FILE}). */
  public Optional<SmarthostSettings> toSettings() {
    Map<String, String> texts = new HashMap<>();
    Map<String, Integer> lines = new HashMap<>();
    values.forEach(
        (key, value) -> {
          texts.put(key, value.text);
          if (value.line > 0) {
            lines.put(key, value.line);
          }
        });
    return SettingsCodec.ENV_FILE.decode(source, texts, lines);
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
