package dev.smarthost.core.settings;

import dev.smarthost.FailureKind;
import dev.smarthost.SettingsField;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.ValidationResult;
import java.util.Objects;
import java.util.Optional;

/**
 * What the settings page does on Save: check the settings with the {@link SmtpConnectionValidator}
 * and store them only if the check passes (or the caller forces it). A failure is mapped to the
 * {@link SettingsField} it concerns, or to the test message, so that a form can show the hint
 * beside the right input.
 */
public final class SmarthostSettingsService {
  private final SmtpConnectionValidator validator;
  private final SmarthostStore store;

  /**
   * Creates the service.
   *
   * @param validator the check
   * @param store where valid settings go
   */
  public SmarthostSettingsService(SmtpConnectionValidator validator, SmarthostStore store) {
    this.validator = Objects.requireNonNull(validator, "validator");
    this.store = Objects.requireNonNull(store, "store");
  }

  /**
   * Checks the settings and stores them if the check passes.
   *
   * @param settings what the administrator entered
   * @return the outcome
   */
  public Outcome apply(SmarthostSettings settings) {
    return apply(settings, false);
  }

  /**
   * Checks the settings and stores them if the check passes or {@code force} is set.
   *
   * @param settings what the administrator entered
   * @param force store even if the check fails
   * @return the outcome
   */
  public Outcome apply(SmarthostSettings settings, boolean force) {
    ValidationResult result = validator.validate(settings);
    boolean save = result.ok() || force;
    if (save) {
      store.save(settings);
    }
    return new Outcome(result, save);
  }

  /**
   * Returns the setting a failure concerns. A form shows the credentials as one group ({@link
   * SettingsField#isCredentials()}): a failed login names {@link SettingsField#USERNAME}, a failed
   * OAuth 2.0 token request {@link SettingsField#OAUTH2_TOKEN_URL}, the first field of each.
   *
   * @param kind the failure
   * @return the field, or empty if no setting is at fault (see {@link #concernsTestMessage})
   */
  public static Optional<SettingsField> fieldOf(FailureKind kind) {
    return switch (kind) {
      case UNKNOWN_HOST, CONNECT_TIMEOUT, SERVER_UNAVAILABLE, PROTOCOL_ERROR, READ_TIMEOUT ->
          Optional.of(SettingsField.HOST);
      case CONNECTION_REFUSED -> Optional.of(SettingsField.PORT);
      case NO_GREETING,
          SERVER_EXPECTS_TLS,
          SERVER_DOES_NOT_SPEAK_TLS,
          TLS_HANDSHAKE_FAILED,
          STARTTLS_NOT_OFFERED,
          ENCRYPTION_REQUIRED ->
          Optional.of(SettingsField.ENCRYPTION);
      case CERTIFICATE_UNTRUSTED, CERTIFICATE_EXPIRED, CERTIFICATE_NAME_MISMATCH ->
          Optional.of(SettingsField.VERIFY_TLS);
      case AUTH_NOT_OFFERED, AUTHENTICATION_FAILED, AUTHENTICATION_REQUIRED ->
          Optional.of(SettingsField.USERNAME);
      case OAUTH2_TOKEN_FAILED -> Optional.of(SettingsField.OAUTH2_TOKEN_URL);
      default -> Optional.empty();
    };
  }

  /**
   * Returns whether a failure concerns the test message rather than a setting: its sender or a
   * recipient was refused, or the message itself.
   *
   * @param kind the failure
   * @return true for the refusals of a test message
   */
  public static boolean concernsTestMessage(FailureKind kind) {
    return switch (kind) {
      case SENDER_REJECTED,
          RECIPIENT_REJECTED,
          MESSAGE_REJECTED,
          MESSAGE_TOO_LARGE,
          SMTPUTF8_NOT_OFFERED ->
          true;
      default -> false;
    };
  }

  /**
   * The outcome of {@link #apply}: the check, whether the settings were stored, the field at fault.
   */
  public static final class Outcome {
    private final ValidationResult validation;
    private final boolean saved;

    Outcome(ValidationResult validation, boolean saved) {
      this.validation = validation;
      this.saved = saved;
    }

    /**
     * Returns the connection check.
     *
     * @return the result, with phases and failure
     */
    public ValidationResult validation() {
      return validation;
    }

    /**
     * Returns whether the settings were stored.
     *
     * @return true if the check passed or the save was forced
     */
    public boolean saved() {
      return saved;
    }

    /**
     * Returns the setting the failure concerns ({@link #fieldOf}).
     *
     * @return the field, or empty if the check passed or no setting is at fault
     */
    public Optional<SettingsField> field() {
      return validation.failure().flatMap(f -> fieldOf(f.kind()));
    }

    /**
     * Returns whether the failure concerns the test message ({@link #concernsTestMessage}).
     *
     * @return false if the check passed
     */
    public boolean testMessageRefused() {
      return validation.failure().map(f -> concernsTestMessage(f.kind())).orElse(false);
    }

    @Override
    public String toString() {
      return "Outcome{" + (saved ? "saved" : "not saved") + ", " + validation + "}";
    }
  }
}
