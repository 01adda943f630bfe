package dev.smarthost;

/**
 * A value for one settings field is invalid. Thrown by {@link SmarthostSettings.Builder} and {@link
 * Encryption#fromConfigValue}; it is an {@link IllegalArgumentException}, and its message is {@code
 * "<field>: <problem>"}, but callers read {@link #field()} and {@link #problem()} instead of the
 * message. Never contains a password.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The field at fault. */
  private final SettingsField field;

  /** What is wrong, without the field's name. */
  private final String problem;

  InvalidSettingException(SettingsField field, String fieldName, String problem) {
    super(fieldName + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /**
   * Returns the field at fault.
   *
   * @return the field
   */
  public SettingsField field() {
    return field;
  }

  /**
   * Returns what is wrong, without the field's name.
   *
   * @return for example {@code must be 1–65535, but was 70000}
   */
  public String problem() {
    return problem;
  }
}
