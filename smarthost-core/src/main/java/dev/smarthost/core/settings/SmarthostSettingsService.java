package dev.smarthost.core.settings;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.ValidationResult;
import java.util.Objects;
import java.util.Optional;

/**
 * What the settings page does on Save: check the settings with the {@link SmtpConnectionValidator}
 * and store them only if the check passes (or the caller forces it). A failure is mapped to the
 * form field it concerns, with the hint.
 */
public final class SmarthostSettingsService {
  /** A field of the settings form. */
  public enum Field {
    /** The server host. */
    HOST,
    /** The port. */
    PORT,
    /** Encryption: none, STARTTLS, TLS. */
    ENCRYPTION,
    /** The "verify TLS certificate" switch. */
    VERIFY_TLS,
    /** User name and password, or the OAuth 2.0 client. */
    CREDENTIALS,
    /** The test message's sender or recipient. */
    TEST_MESSAGE
  }

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
   * Returns the form field a failure concerns.
   *
   * @param kind the failure
   * @return the field, or empty if no field is at fault
   */
  public static Optional<Field> fieldOf(FailureKind kind) {
    return switch (kind) {
      case UNKNOWN_HOST, CONNECT_TIMEOUT, SERVER_UNAVAILABLE, PROTOCOL_ERROR, READ_TIMEOUT ->
          Optional.of(Field.HOST);
      case CONNECTION_REFUSED -> Optional.of(Field.PORT);
      case NO_GREETING,
          SERVER_EXPECTS_TLS,
          SERVER_DOES_NOT_SPEAK_TLS,
          TLS_HANDSHAKE_FAILED,
          STARTTLS_NOT_OFFERED,
          ENCRYPTION_REQUIRED ->
          Optional.of(Field.ENCRYPTION);
      case CERTIFICATE_UNTRUSTED, CERTIFICATE_EXPIRED, CERTIFICATE_NAME_MISMATCH ->
          Optional.of(Field.VERIFY_TLS);
      case OAUTH2_TOKEN_FAILED, AUTH_NOT_OFFERED, AUTHENTICATION_FAILED, AUTHENTICATION_REQUIRED ->
          Optional.of(Field.CREDENTIALS);
      case SENDER_REJECTED,
          RECIPIENT_REJECTED,
          MESSAGE_REJECTED,
          MESSAGE_TOO_LARGE,
          SMTPUTF8_NOT_OFFERED ->
          Optional.of(Field.TEST_MESSAGE);
      default -> Optional.empty();
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
     * Returns the form field the failure concerns.
     *
     * @return the field, or empty if the check passed or no field is at fault
     */
    public Optional<Field> field() {
      return validation.failure().flatMap(f -> fieldOf(f.kind()));
    }

    @Override
    public String toString() {
      return "Outcome{" + (saved ? "saved" : "not saved") + ", " + validation + "}";
    }
  }
}
