package dev.smarthost.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A misbehaviour a {@link SmarthostServer} shows to the connections it accepts after {@link
 * SmarthostServer#fault(Fault...)}, until {@link SmarthostServer#clearFaults()}. A closed set: the
 * constants below and the factories {@link #slowGreeting(Duration)} and {@link #reject(Step, int,
 * String)}.
 */
public final class Fault {

  /**
   * Accept the connection and never send the 220 greeting (after the TLS handshake, in TLS mode).
   */
  public static final Fault NO_GREETING = new Fault(Kind.NO_GREETING, null, null, 0, null);

  /** Answer EHLO, then close the connection. */
  public static final Fault DROP_AFTER_EHLO = new Fault(Kind.DROP_AFTER_EHLO, null, null, 0, null);

  /** A STARTTLS server that does not advertise STARTTLS and refuses the command (502). */
  public static final Fault NO_STARTTLS_OFFERED =
      new Fault(Kind.NO_STARTTLS_OFFERED, null, null, 0, null);

  /** Do not advertise AUTH and refuse the command (502), even if AUTH is required. */
  public static final Fault NO_AUTH_OFFERED = new Fault(Kind.NO_AUTH_OFFERED, null, null, 0, null);

  /** Present a certificate from the server's CA that expired yesterday. */
  public static final Fault TLS_CERT_EXPIRED =
      new Fault(Kind.TLS_CERT_EXPIRED, null, null, 0, null);

  /** Present a certificate from the server's CA for {@code wrong-name.invalid} only. */
  public static final Fault TLS_CERT_WRONG_NAME =
      new Fault(Kind.TLS_CERT_WRONG_NAME, null, null, 0, null);

  /** Present a self-signed certificate for the right names that no CA vouches for. */
  public static final Fault TLS_CERT_SELF_SIGNED =
      new Fault(Kind.TLS_CERT_SELF_SIGNED, null, null, 0, null);

  /** The stage of an SMTP session at which {@link #reject(Step, int, String)} answers. */
  public enum Step {
    /** The greeting: the server answers the connection with the code instead of 220. */
    CONNECT,
    /** The reply to EHLO and HELO. */
    EHLO,
    /** The reply to AUTH. */
    AUTH,
    /** The reply to MAIL FROM. */
    MAIL,
    /** The reply to RCPT TO. */
    RCPT,
    /** The final reply after the message data: the message is read, then refused. */
    DATA
  }

  /** What a fault does; one constant per constant or factory. */
  enum Kind {
    NO_GREETING,
    DROP_AFTER_EHLO,
    NO_STARTTLS_OFFERED,
    NO_AUTH_OFFERED,
    TLS_CERT_EXPIRED,
    TLS_CERT_WRONG_NAME,
    TLS_CERT_SELF_SIGNED,
    SLOW_GREETING,
    REJECT,
    STALL;

    boolean isCertificate() {
      return this == TLS_CERT_EXPIRED
          || this == TLS_CERT_WRONG_NAME
          || this == TLS_CERT_SELF_SIGNED;
    }
  }

  private final Kind kind;
  private final @Nullable Duration delay;
  private final @Nullable Step step;
  private final int code;
  private final @Nullable String text;

  private Fault(
      Kind kind, @Nullable Duration delay, @Nullable Step step, int code, @Nullable String text) {
    this.kind = kind;
    this.delay = delay;
    this.step = step;
    this.code = code;
    this.text = text;
  }

  /**
   * Wait before sending the greeting, as a tarpit or an overloaded server does.
   *
   * @param delay how long; positive
   * @return the fault
   * @throws IllegalArgumentException if the delay is zero or negative
   */
  public static Fault slowGreeting(Duration delay) {
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("delay: must be positive, but was " + delay);
    }
    return new Fault(Kind.SLOW_GREETING, delay, null, 0, null);
  }

  /**
   * Answer a step with this reply instead of going on, e.g. {@code reject(Step.RCPT, 554, "5.7.1
   * Relay access denied")}. A later reject for the same step replaces the earlier one.
   *
   * @param step where to answer
   * @param code a 4xx or 5xx reply code
   * @param text the reply text after the code
   * @return the fault
   * @throws IllegalArgumentException if the code is not 400–599 or the text has line breaks
   */
  public static Fault reject(Step step, int code, String text) {
    Objects.requireNonNull(step, "step");
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("code: must be a 4xx or 5xx reply, but was " + code);
    }
    if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("text: must be one line");
    }
    return new Fault(Kind.REJECT, null, step, code, text);
  }

  /**
   * Stop answering at a step: the server reads the command (for {@link Step#DATA}, the whole
   * message) and never replies, as an overloaded or broken server does. The client's read timeout
   * (or deadline) must end the wait. {@code stall(Step.CONNECT)} is {@link #NO_GREETING}.
   *
   * @param step where to go silent
   * @return the fault
   */
  public static Fault stall(Step step) {
    Objects.requireNonNull(step, "step");
    return step == Step.CONNECT ? NO_GREETING : new Fault(Kind.STALL, null, step, 0, null);
  }

  Kind kind() {
    return kind;
  }

  /**
   * Returns the delay of a {@link #slowGreeting(Duration)} fault.
   *
   * @return the delay, or empty for other faults
   */
  public Optional<Duration> delay() {
    return Optional.ofNullable(delay);
  }

  /**
   * Returns the step a {@link #reject(Step, int, String)} fault answers.
   *
   * @return the step, or empty for other faults
   */
  public Optional<Step> step() {
    return Optional.ofNullable(step);
  }

  /**
   * Returns the reply line a {@link #reject(Step, int, String)} fault sends.
   *
   * @return for example {@code 554 5.7.1 Relay access denied}, or empty for other faults
   */
  public Optional<String> reply() {
    return kind == Kind.REJECT ? Optional.of(code + " " + text) : Optional.empty();
  }

  /** Whether this fault and {@code other} cannot both be active: same kind, or same step. */
  boolean replaces(Fault other) {
    return kind == other.kind && (kind != Kind.REJECT && kind != Kind.STALL || step == other.step);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof Fault)) {
      return false;
    }
    Fault f = (Fault) o;
    return kind == f.kind
        && Objects.equals(delay, f.delay)
        && step == f.step
        && code == f.code
        && Objects.equals(text, f.text);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, delay, step, code, text);
  }

  @Override
  public String toString() {
    switch (kind) {
      case SLOW_GREETING:
        return "slowGreeting(" + delay + ")";
      case REJECT:
        return "reject(" + step + ", " + code + " " + text + ")";
      case STALL:
        return "stall(" + step + ")";
      default:
        return kind.name();
    }
  }
}
