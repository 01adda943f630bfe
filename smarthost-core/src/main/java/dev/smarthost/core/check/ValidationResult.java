package dev.smarthost.core.check;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.session.PhaseTiming;
import dev.smarthost.core.session.ValidationPhase;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link SmtpConnectionValidator} check: passed or one classified {@link
 * SmtpFailure}, how long each phase took, and what the server showed of itself. Contains no
 * credentials.
 */
public final class ValidationResult {
  private final SmarthostSettings settings;
  private final @Nullable SmtpFailure failure;
  private final List<PhaseTiming> phases;
  private final Duration total;
  private final @Nullable String greeting;
  private final List<String> ehloExtensions;
  private final List<String> authMechanisms;
  private final @Nullable TlsDetails tls;
  private final boolean testMessageSent;

  ValidationResult(
      SmarthostSettings settings,
      @Nullable SmtpFailure failure,
      List<PhaseTiming> phases,
      Duration total,
      @Nullable String greeting,
      List<String> ehloExtensions,
      @Nullable TlsDetails tls,
      boolean testMessageSent) {
    this.settings = settings;
    this.failure = failure;
    this.phases = List.copyOf(phases);
    this.total = total;
    this.greeting = greeting;
    this.ehloExtensions = List.copyOf(ehloExtensions);
    this.authMechanisms = authMechanisms(ehloExtensions);
    this.tls = tls;
    this.testMessageSent = testMessageSent;
  }

  /**
   * Returns whether the check passed.
   *
   * @return true if there is no {@link #failure()}
   */
  public boolean ok() {
    return failure == null;
  }

  /**
   * Returns why the check failed.
   *
   * @return the failure, or empty if it passed
   */
  public Optional<SmtpFailure> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Returns the settings that were checked ({@code toString()} masks the password).
   *
   * @return the settings
   */
  public SmarthostSettings settings() {
    return settings;
  }

  /**
   * Returns each step that completed and how long it took, in the order of the conversation: {@code
   * resolve, connect, [tls,] greeting, ehlo, [starttls, ehlo,] [auth,] mail[, rcpt, data]}. A step
   * that failed is not listed, whether the server refused it (a greeting other than 220, a refused
   * EHLO and HELO, AUTH, MAIL, every RCPT or the message) or it was cut off (a timeout, a dropped
   * connection, the deadline): the {@link #failure()} tells what happened there.
   *
   * @return an unmodifiable list
   */
  public List<PhaseTiming> phases() {
    return phases;
  }

  /**
   * Returns the phases that completed, without timings, in order.
   *
   * @return for example {@code [RESOLVE, CONNECT, GREETING, EHLO, STARTTLS, EHLO, AUTH, MAIL]}
   */
  public List<ValidationPhase> phaseNames() {
    List<ValidationPhase> names = new java.util.ArrayList<>();
    phases.forEach(p -> names.add(p.phase()));
    return Collections.unmodifiableList(names);
  }

  /**
   * Returns how long the whole check took.
   *
   * @return the elapsed time, never much more than the validator's deadline
   */
  public Duration total() {
    return total;
  }

  /**
   * Returns the server's greeting.
   *
   * @return for example {@code 220 mail.example.org ESMTP Postfix}, or empty if none arrived
   */
  public Optional<String> greeting() {
    return Optional.ofNullable(greeting);
  }

  /**
   * Returns the extensions of the last EHLO reply (after STARTTLS, if any).
   *
   * @return lines such as {@code SIZE 10240000}, {@code AUTH PLAIN LOGIN}
   */
  public List<String> ehloExtensions() {
    return ehloExtensions;
  }

  /**
   * Returns the AUTH mechanisms the server offered on the last EHLO.
   *
   * @return for example {@code [PLAIN, LOGIN]}; empty if it offered none
   */
  public List<String> authMechanisms() {
    return authMechanisms;
  }

  /**
   * Returns the TLS session, if the connection was encrypted; after a refused certificate ({@code
   * CERTIFICATE_UNTRUSTED}, {@code _EXPIRED}, {@code _NAME_MISMATCH}) the session of a second look
   * that verified nothing and sent no credentials, so that the certificate can be shown.
   *
   * @return protocol, cipher suite and the server's certificate
   */
  public Optional<TlsDetails> tls() {
    return Optional.ofNullable(tls);
  }

  /** A copy with the certificate a refused handshake presented (seen on a second look). */
  ValidationResult withTls(TlsDetails seen) {
    return new ValidationResult(
        settings, failure, phases, total, greeting, ehloExtensions, seen, testMessageSent);
  }

  /**
   * Returns what the administrator should know even when the check passed: today, that credentials
   * go to the server in clear text because the encryption is {@link dev.smarthost.Encryption#NONE}
   * (allowed for internal relays, never silent).
   *
   * @return the warnings, empty when there is nothing to warn about
   */
  public List<String> warnings() {
    if (settings.encryption() == dev.smarthost.Encryption.NONE && settings.username().isPresent()) {
      return List.of(
          settings.oauth2Client().isPresent() ? CLEAR_TEXT_TOKEN : CLEAR_TEXT_CREDENTIALS);
    }
    return List.of();
  }

  /** The warning for an OAuth 2.0 login without encryption. */
  static final String CLEAR_TEXT_TOKEN =
      "the access token is sent in clear text (encryption is none): anyone on the network path"
          + " can read and reuse it until it expires; use STARTTLS or TLS";

  /** The warning for credentials without encryption. */
  static final String CLEAR_TEXT_CREDENTIALS =
      "the username and password are sent in clear text (encryption is none): anyone on the"
          + " network path can read them; use STARTTLS or TLS unless this is a trusted internal"
          + " relay";

  /**
   * Returns whether a test message was sent and accepted.
   *
   * @return true if the check included a {@link TestMessage} and the server accepted it
   */
  public boolean testMessageSent() {
    return testMessageSent;
  }

  @Override
  public String toString() {
    return "ValidationResult{"
        + (ok() ? "ok" : String.valueOf(failure))
        + ", "
        + settings.authority()
        + ", total="
        + total.toMillis()
        + "ms}";
  }

  private static List<String> authMechanisms(List<String> extensions) {
    for (String line : extensions) {
      String upper = line.toUpperCase(java.util.Locale.ROOT);
      if (upper.startsWith("AUTH ") || upper.startsWith("AUTH=")) {
        return List.of(line.substring(5).trim().split("\\s+"));
      }
    }
    return List.of();
  }
}
