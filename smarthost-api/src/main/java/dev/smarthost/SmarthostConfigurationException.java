package dev.smarthost;

import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A settings source is unreadable or holds an invalid value. The message names the source (a file
 * path, {@code environment}, a Redis key), the line when there is one, and the key; it never
 * contains a password.
 */
public final class SmarthostConfigurationException extends SmarthostException {
  private static final long serialVersionUID = 1L;

  /** Where the settings came from. */
  private final String source;

  /** 1-based line, or 0 for sources without lines. */
  private final int line;

  /** The offending key, or null. */
  private final @Nullable String key;

  /** The problem without source, line and key. */
  private final String problem;

  /** The settings field the key holds, or null. */
  private final @Nullable SettingsField field;

  private SmarthostConfigurationException(
      String source,
      int line,
      @Nullable String key,
      @Nullable SettingsField field,
      String problem,
      @Nullable Throwable cause) {
    super(format(source, line, key, problem), cause);
    this.source = source;
    this.line = line;
    this.key = key;
    this.field = field;
    this.problem = problem;
  }

  /**
   * A problem with the key that holds one settings field, in a source without lines.
   *
   * @param source where the settings came from, e.g. {@code environment}
   * @param key the offending key in the source's spelling, e.g. {@code SMTP_PORT}
   * @param field the settings field the key holds
   * @param problem what is wrong, without the value if the key holds a secret
   * @return the exception
   */
  public static SmarthostConfigurationException forField(
      String source, String key, SettingsField field, String problem) {
    return new SmarthostConfigurationException(source, 0, key, field, problem, null);
  }

  /**
   * A problem with the key that holds one settings field, at one line of a file.
   *
   * @param source the file
   * @param line the 1-based line number
   * @param key the offending key in the file's spelling, e.g. {@code SMTP_PORT}
   * @param field the settings field the key holds
   * @param problem what is wrong, without the value if the key holds a secret
   * @return the exception
   * @throws IllegalArgumentException if {@code line} is less than 1
   */
  public static SmarthostConfigurationException forField(
      String source, int line, String key, SettingsField field, String problem) {
    if (line < 1) {
      throw new IllegalArgumentException("line: must be at least 1, but was " + line);
    }
    return new SmarthostConfigurationException(source, line, key, field, problem, null);
  }

  /**
   * Returns the settings field at fault, for a form that shows the problem next to it.
   *
   * @return the field, or empty if the problem is not about one field
   */
  public Optional<SettingsField> field() {
    return Optional.ofNullable(field);
  }

  /**
   * A problem with one key of a source that has no lines, such as the environment or a Redis hash.
   *
   * @param source where the settings came from, e.g. {@code environment}
   * @param key the offending key, e.g. {@code SMTP_PORT}
   * @param problem what is wrong, without the value if the key holds a secret
   * @return the exception
   */
  public static SmarthostConfigurationException forKey(String source, String key, String problem) {
    return new SmarthostConfigurationException(source, 0, key, null, problem, null);
  }

  /**
   * A problem at one line of a file.
   *
   * @param source the file
   * @param line the 1-based line number
   * @param key the offending key, or null if the line has none
   * @param problem what is wrong, without the value if the key holds a secret
   * @return the exception
   * @throws IllegalArgumentException if {@code line} is less than 1
   */
  public static SmarthostConfigurationException forLine(
      String source, int line, @Nullable String key, String problem) {
    if (line < 1) {
      throw new IllegalArgumentException("line: must be at least 1, but was " + line);
    }
    return new SmarthostConfigurationException(source, line, key, null, problem, null);
  }

  /**
   * A source that could not be read at all.
   *
   * @param source the source
   * @param problem what is wrong
   * @param cause the underlying failure, e.g. an {@code IOException}
   * @return the exception
   */
  public static SmarthostConfigurationException forSource(
      String source, String problem, @Nullable Throwable cause) {
    return new SmarthostConfigurationException(source, 0, null, null, problem, cause);
  }

  /**
   * Returns where the settings came from.
   *
   * @return a file path, {@code environment}, a Redis key, …
   */
  public String source() {
    return source;
  }

  /**
   * Returns the 1-based line of the problem, for sources that have lines.
   *
   * @return the line, or empty
   */
  public OptionalInt line() {
    return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
  }

  /**
   * Returns the key whose value is wrong.
   *
   * @return the key, or empty if the whole source is at fault
   */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /**
   * Returns the problem alone, without source, line and key.
   *
   * @return the problem
   */
  public String problem() {
    return problem;
  }

  private static String format(String source, int line, @Nullable String key, String problem) {
    StringBuilder b = new StringBuilder(source);
    if (line > 0) {
      b.append(" line ").append(line);
    }
    if (key != null) {
      b.append(", ").append(key);
    }
    return b.append(": ").append(problem).toString();
  }
}
