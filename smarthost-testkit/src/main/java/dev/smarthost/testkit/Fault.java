package dev.smarthost.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A misbehaviour of a {@link SmarthostServer}, set with {@link SmarthostServer#fault(Fault...)}
 * until {@link SmarthostServer#clearFaults()}, or for a number of uses with {@link #times(int)}. A
 * closed set: the constants below and the factories {@link #slowGreeting(Duration)}, {@link
 * #reject(Step, int, String)}, {@link #rejectRecipient(String, int, String)}, {@link #stall(Step)}
 * and {@link #drop(Step)}.
 *
 * <p>Faults of the connection (greeting, EHLO, STARTTLS, certificates) apply to connections
 * accepted after they are set; faults at {@link Step#AUTH}, {@link Step#MAIL}, {@link Step#RCPT}
 * and {@link Step#DATA} apply to the next command of any connection, so they also hit connections a
 * client keeps open.
 */
public final class Fault {

  /**
   * Accept the connection and never send the 220 greeting (after the TLS handshake, in TLS mode).
   */
  public static final Fault NO_GREETING = new Fault(Kind.NO_GREETING, null, null, 0, null, null, 0);

  /** Answer EHLO, then close the connection. */
  public static final Fault DROP_AFTER_EHLO =
      new Fault(Kind.DROP_AFTER_EHLO, null, null, 0, null, null, 0);

  /** A STARTTLS server that does not advertise STARTTLS and refuses the command (502). */
  public static final Fault NO_STARTTLS_OFFERED =
      new Fault(Kind.NO_STARTTLS_OFFERED, null, null, 0, null, null, 0);

  /** Do not advertise AUTH and refuse the command (502), even if AUTH is required. */
  public static final Fault NO_AUTH_OFFERED =
      new Fault(Kind.NO_AUTH_OFFERED, null, null, 0, null, null, 0);

  /** Present a certificate from the server's CA that expired yesterday. */
  public static final Fault TLS_CERT_EXPIRED =
      new Fault(Kind.TLS_CERT_EXPIRED, null, null, 0, null, null, 0);

  /** Present a certificate from the server's CA for {@code wrong-name.invalid} only. */
  public static final Fault TLS_CERT_WRONG_NAME =
      new Fault(Kind.TLS_CERT_WRONG_NAME, null, null, 0, null, null, 0);

  /** Present a self-signed certificate for the right names that no CA vouches for. */
  public static final Fault TLS_CERT_SELF_SIGNED =
      new Fault(Kind.TLS_CERT_SELF_SIGNED, null, null, 0, null, null, 0);

  /**
   * Answer DATA with 354 (or take a BDAT command), then read nothing more and never reply: once the
   * socket buffers are full (a few megabytes on loopback) the client's writes block, and only its
   * write timeout ends the wait. The connection is closed after the server's idle timeout or when
   * the server closes.
   */
  public static final Fault DATA_NOT_READ =
      new Fault(Kind.DATA_NOT_READ, null, null, 0, null, null, 0);

  /** The stage of an SMTP session at which a step fault acts. */
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
    /** The final reply after the message data: the message is read, then refused or lost. */
    DATA;

    /**
     * Returns whether a fault at this step acts on a command of a session (AUTH, MAIL, RCPT, DATA)
     * rather than on a connection as a whole.
     *
     * @return true for AUTH, MAIL, RCPT and DATA
     */
    public boolean transactional() {
      return this == AUTH || this == MAIL || this == RCPT || this == DATA;
    }
  }

  /** What a fault does; one constant per constant or factory of {@link Fault}. */
  public enum Kind {
    /** {@link Fault#NO_GREETING}. */
    NO_GREETING,
    /** {@link Fault#DROP_AFTER_EHLO}. */
    DROP_AFTER_EHLO,
    /** {@link Fault#NO_STARTTLS_OFFERED}. */
    NO_STARTTLS_OFFERED,
    /** {@link Fault#NO_AUTH_OFFERED}. */
    NO_AUTH_OFFERED,
    /** {@link Fault#TLS_CERT_EXPIRED}. */
    TLS_CERT_EXPIRED,
    /** {@link Fault#TLS_CERT_WRONG_NAME}. */
    TLS_CERT_WRONG_NAME,
    /** {@link Fault#TLS_CERT_SELF_SIGNED}. */
    TLS_CERT_SELF_SIGNED,
    /** {@link Fault#DATA_NOT_READ}. */
    DATA_NOT_READ,
    /** {@link Fault#slowGreeting}. */
    SLOW_GREETING,
    /** {@link Fault#reject} and {@link Fault#rejectRecipient}. */
    REJECT,
    /** {@link Fault#stall}. */
    STALL,
    /** {@link Fault#drop}. */
    DROP;

    /**
     * Returns whether the fault replaces the server's certificate.
     *
     * @return true for the three {@code TLS_CERT_*} kinds
     */
    public boolean isCertificate() {
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
  private final @Nullable String recipient;
  private final int times;

  private Fault(
      Kind kind,
      @Nullable Duration delay,
      @Nullable Step step,
      int code,
      @Nullable String text,
      @Nullable String recipient,
      int times) {
    this.kind = kind;
    this.delay = delay;
    this.step = step;
    this.code = code;
    this.text = text;
    this.recipient = recipient;
    this.times = times;
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
    return new Fault(Kind.SLOW_GREETING, delay, null, 0, null, null, 0);
  }

  /**
   * Answer a step with this reply instead of going on, e.g. {@code reject(Step.RCPT, 554, "5.7.1
   * Relay access denied")}. A later reject for the same step replaces the earlier one.
   *
   * @param step where to answer
   * @param code a 4xx or 5xx reply code
   * @param text the reply text after the code; lines separated by {@code \n} make a multi-line
   *     reply, as Gmail sends: {@code "5.7.9 Application-specific password required.\n5.7.9
   *     https://support.google.com/mail/?p=InvalidSecondFactor"}
   * @return the fault
   * @throws IllegalArgumentException if the code is not 400–599, the text contains {@code \r} or an
   *     empty line
   */
  public static Fault reject(Step step, int code, String text) {
    Objects.requireNonNull(step, "step");
    checkReply(code, text);
    return new Fault(Kind.REJECT, null, step, code, text, null, 0);
  }

  /**
   * Refuse one recipient with this reply and accept the others, for partial delivery.
   *
   * @param address the recipient address as given in {@code RCPT TO}, any case
   * @param code a 4xx or 5xx reply code
   * @param text the reply text after the code
   * @return the fault
   * @throws IllegalArgumentException if the code is not 400–599 or the text has line breaks
   */
  public static Fault rejectRecipient(String address, int code, String text) {
    Objects.requireNonNull(address, "address");
    checkReply(code, text);
    return new Fault(Kind.REJECT, null, Step.RCPT, code, text, address, 0);
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
    return step == Step.CONNECT ? NO_GREETING : new Fault(Kind.STALL, null, step, 0, null, null, 0);
  }

  /**
   * Close the connection at a step without answering: the command (for {@link Step#DATA}, the whole
   * message) is read and dropped, nothing is stored. {@code drop(Step.EHLO)} closes instead of
   * answering EHLO; see {@link #DROP_AFTER_EHLO} for closing after the answer.
   *
   * @param step where to hang up
   * @return the fault
   * @throws IllegalArgumentException for {@link Step#CONNECT} (use {@link #NO_GREETING} or {@link
   *     #reject(Step, int, String)})
   */
  public static Fault drop(Step step) {
    Objects.requireNonNull(step, "step");
    if (step == Step.CONNECT) {
      throw new IllegalArgumentException(
          "step: CONNECT cannot be dropped; use NO_GREETING or reject");
    }
    return new Fault(Kind.DROP, null, step, 0, null, null, 0);
  }

  /**
   * Returns this fault limited to {@code n} uses: {@code n} connections for connection faults,
   * {@code n} commands for step faults at AUTH, MAIL, RCPT and DATA. Then it is gone.
   *
   * @param n at least 1
   * @return a copy that acts {@code n} times
   * @throws IllegalArgumentException if {@code n} is less than 1
   */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n: must be at least 1, but was " + n);
    }
    return new Fault(kind, delay, step, code, text, recipient, n);
  }

  private static void checkReply(int code, String text) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("code: must be a 4xx or 5xx reply, but was " + code);
    }
    if (text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("text: lines are separated by \\n, without \\r");
    }
    if (text.isEmpty() || text.startsWith("\n") || text.endsWith("\n") || text.contains("\n\n")) {
      throw new IllegalArgumentException("text: must not be empty or have an empty line");
    }
  }

  /**
   * Returns what this fault does.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns whether this fault acts per command (AUTH, MAIL, RCPT, DATA) rather than per
   * connection.
   *
   * @return true for a step fault at a transactional step
   */
  public boolean transactional() {
    return step != null && step.transactional();
  }

  /**
   * Returns whether this fault acts at this step for this recipient.
   *
   * @param at the step the session is at
   * @param address the recipient of a RCPT, or null
   * @return true if the step matches and the fault names no recipient or this one
   */
  public boolean matches(Step at, @Nullable String address) {
    return step == at && (recipient == null || recipient.equalsIgnoreCase(String.valueOf(address)));
  }

  /**
   * Returns how many uses this fault has.
   *
   * @return the count from {@link #times(int)}, or 0 for unlimited
   */
  public int uses() {
    return times;
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
   * Returns the step a step fault acts at.
   *
   * @return the step, or empty for other faults
   */
  public Optional<Step> step() {
    return Optional.ofNullable(step);
  }

  /**
   * Returns the reply a reject fault sends: one line, or for a text with {@code \n} one line per
   * text line, each with the code and {@code -} except the last (a multi-line reply), separated by
   * CRLF.
   *
   * @return for example {@code 554 5.7.1 Relay access denied}, or empty for other faults
   */
  public Optional<String> reply() {
    if (kind != Kind.REJECT || text == null) {
      return Optional.empty();
    }
    String[] lines = text.split("\n");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      b.append(code).append(i == lines.length - 1 ? ' ' : '-').append(lines[i]);
      if (i < lines.length - 1) {
        b.append("\r\n");
      }
    }
    return Optional.of(b.toString());
  }

  /**
   * Returns whether this fault and {@code other} cannot both be active: same kind, step and
   * recipient, so that setting one replaces the other.
   *
   * @param other another fault
   * @return true if they are of the same kind, step and recipient
   */
  public boolean replaces(Fault other) {
    return kind == other.kind && step == other.step && Objects.equals(recipient, other.recipient);
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
        && Objects.equals(text, f.text)
        && Objects.equals(recipient, f.recipient)
        && times == f.times;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, delay, step, code, text, recipient, times);
  }

  @Override
  public String toString() {
    String s;
    switch (kind) {
      case SLOW_GREETING:
        s = "slowGreeting(" + delay + ")";
        break;
      case REJECT:
        s =
            recipient != null
                ? "rejectRecipient(" + recipient + ", " + code + " " + text + ")"
                : "reject(" + step + ", " + code + " " + text + ")";
        break;
      case STALL:
        s = "stall(" + step + ")";
        break;
      case DROP:
        s = "drop(" + step + ")";
        break;
      default:
        s = kind.name();
    }
    return times > 0 ? s + ".times(" + times + ")" : s;
  }
}
