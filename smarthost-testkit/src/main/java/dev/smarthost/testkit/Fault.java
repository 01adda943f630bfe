package dev.smarthost.testkit;

import dev.smarthost.core.session.ValidationPhase;
import java.time.Duration;
import java.util.Objects;

/**
 * A misbehaviour of a {@link SmarthostServer}, set with {@link SmarthostServer#fault(Fault...)}
 * until {@link SmarthostServer#clearFaults()}, or for a number of uses with {@link #times(int)}. A
 * closed set of values: the {@link Condition} constants (also reachable as {@code
 * Fault.NO_GREETING} and so on), {@link SlowGreeting}, {@link Reject}, {@link RejectRecipient},
 * {@link Stall}, {@link Drop}, and {@link Limited} for a fault with a number of uses. The factories
 * below are the usual way to make them; the records are there so that code can {@code switch} or
 * match on a fault.
 *
 * <p>Faults of the connection (greeting, EHLO, STARTTLS, certificates) apply to connections
 * accepted after they are set; faults at {@link Step#AUTH}, {@link Step#MAIL}, {@link Step#RCPT}
 * and {@link Step#DATA} apply to the next command of any connection, so they also hit connections a
 * client keeps open.
 */
public sealed interface Fault
    permits Fault.Condition,
        Fault.SlowGreeting,
        Fault.Reject,
        Fault.RejectRecipient,
        Fault.Stall,
        Fault.Drop,
        Fault.Limited {

  /**
   * Accept the connection and never send the 220 greeting (after the TLS handshake, in TLS mode).
   */
  Fault NO_GREETING = Condition.NO_GREETING;

  /** Answer EHLO, then close the connection. */
  Fault DROP_AFTER_EHLO = Condition.DROP_AFTER_EHLO;

  /** A STARTTLS server that does not advertise STARTTLS and refuses the command (502). */
  Fault NO_STARTTLS_OFFERED = Condition.NO_STARTTLS_OFFERED;

  /** Do not advertise AUTH and refuse the command (502), even if AUTH is required. */
  Fault NO_AUTH_OFFERED = Condition.NO_AUTH_OFFERED;

  /** Present a certificate from the server's CA that expired yesterday. */
  Fault TLS_CERT_EXPIRED = Condition.TLS_CERT_EXPIRED;

  /** Present a certificate from the server's CA for {@code wrong-name.invalid} only. */
  Fault TLS_CERT_WRONG_NAME = Condition.TLS_CERT_WRONG_NAME;

  /** Present a self-signed certificate for the right names that no CA vouches for. */
  Fault TLS_CERT_SELF_SIGNED = Condition.TLS_CERT_SELF_SIGNED;

  /**
   * Answer DATA with 354 (or take a BDAT command), then read nothing more and never reply: once the
   * socket buffers are full (a few megabytes on loopback) the client's writes block, and only its
   * write timeout ends the wait. The connection is closed after the server's idle timeout or when
   * the server closes.
   */
  Fault DATA_NOT_READ = Condition.DATA_NOT_READ;

  /**
   * Wait before sending the greeting, as a tarpit or an overloaded server does.
   *
   * @param delay how long; positive
   * @return the fault
   * @throws IllegalArgumentException if the delay is zero or negative
   */
  static Fault slowGreeting(Duration delay) {
    return new SlowGreeting(delay);
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
  static Fault reject(Step step, int code, String text) {
    return new Reject(step, code, text);
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
  static Fault rejectRecipient(String address, int code, String text) {
    return new RejectRecipient(address, code, text);
  }

  /**
   * Stop answering at a step: the server reads the command (for {@link Step#DATA}, the whole
   * message) and never replies, as an overloaded or broken server does. The client's read timeout
   * (or deadline) must end the wait. {@code stall(Step.CONNECT)} is {@link #NO_GREETING}.
   *
   * @param step where to go silent
   * @return the fault
   */
  static Fault stall(Step step) {
    Objects.requireNonNull(step, "step");
    return step == Step.CONNECT ? NO_GREETING : new Stall(step);
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
  static Fault drop(Step step) {
    return new Drop(step);
  }

  /**
   * Returns this fault limited to {@code n} uses: {@code n} connections for connection faults,
   * {@code n} commands for step faults at AUTH, MAIL, RCPT and DATA. Then it is gone.
   *
   * @param n at least 1
   * @return the fault, acting {@code n} times
   * @throws IllegalArgumentException if {@code n} is less than 1
   */
  // Abstract rather than a default method: a default method would make initialising Condition
  // initialise this interface, whose constants read Condition while it is not yet initialised.
  Fault times(int n);

  /**
   * The stage of an SMTP session at which a step fault acts: the places where a server can answer
   * wrongly. A client's connection check names the same moments in its own terms, the {@link
   * ValidationPhase}s (which also count what only the client does: resolving, connecting, TLS);
   * {@link #phase()} says which phase a fault at this step stops.
   */
  enum Step {
    /** The greeting: the server answers the connection with the code instead of 220. */
    CONNECT(ValidationPhase.GREETING),
    /** The reply to EHLO and HELO. */
    EHLO(ValidationPhase.EHLO),
    /** The reply to AUTH. */
    AUTH(ValidationPhase.AUTH),
    /** The reply to MAIL FROM. */
    MAIL(ValidationPhase.MAIL),
    /** The reply to RCPT TO. */
    RCPT(ValidationPhase.RCPT),
    /** The final reply after the message data: the message is read, then refused or lost. */
    DATA(ValidationPhase.DATA);

    private final ValidationPhase phase;

    Step(ValidationPhase phase) {
      this.phase = phase;
    }

    /**
     * Returns the phase of a client's connection check that a fault at this step makes fail.
     *
     * @return {@link ValidationPhase#GREETING} for {@link #CONNECT}, else the phase of the same
     *     name
     */
    public ValidationPhase phase() {
      return phase;
    }

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

  /** A fault of the whole connection without parameters; see the constants of {@link Fault}. */
  enum Condition implements Fault {
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
    DATA_NOT_READ;

    @Override
    public Fault times(int n) {
      return new Limited(this, n);
    }
  }

  /**
   * {@link Fault#slowGreeting(Duration)}.
   *
   * @param delay how long the greeting waits; positive
   */
  record SlowGreeting(Duration delay) implements Fault {
    /**
     * Checks the delay.
     *
     * @param delay see the record
     */
    public SlowGreeting {
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("delay: must be positive, but was " + delay);
      }
    }

    @Override
    public Fault times(int n) {
      return new Limited(this, n);
    }

    @Override
    public String toString() {
      return "slowGreeting(" + delay + ")";
    }
  }

  /**
   * {@link Fault#reject(Step, int, String)}.
   *
   * @param step where the server answers
   * @param code the 4xx or 5xx reply code
   * @param text the reply text after the code, lines separated by {@code \n}
   */
  record Reject(Step step, int code, String text) implements Fault {
    /**
     * Checks step, code and text.
     *
     * @param step see the record
     * @param code see the record
     * @param text see the record
     */
    public Reject {
      Objects.requireNonNull(step, "step");
      ReplyRules.check(code, text);
    }

    @Override
    public Fault times(int n) {
      return new Limited(this, n);
    }

    @Override
    public String toString() {
      return "reject(" + step + ", " + code + " " + text + ")";
    }
  }

  /**
   * {@link Fault#rejectRecipient(String, int, String)}.
   *
   * @param address the refused recipient, any case
   * @param code the 4xx or 5xx reply code
   * @param text the reply text after the code, lines separated by {@code \n}
   */
  record RejectRecipient(String address, int code, String text) implements Fault {
    /**
     * Checks address, code and text.
     *
     * @param address see the record
     * @param code see the record
     * @param text see the record
     */
    public RejectRecipient {
      Objects.requireNonNull(address, "address");
      ReplyRules.check(code, text);
    }

    @Override
    public Fault times(int n) {
      return new Limited(this, n);
    }

    @Override
    public String toString() {
      return "rejectRecipient(" + address + ", " + code + " " + text + ")";
    }
  }

  /**
   * {@link Fault#stall(Step)} at a step after the greeting.
   *
   * @param step where the server goes silent
   */
  record Stall(Step step) implements Fault {
    /**
     * Checks the step: a stalled greeting is {@link Fault#NO_GREETING}.
     *
     * @param step see the record
     */
    public Stall {
      Objects.requireNonNull(step, "step");
      if (step == Step.CONNECT) {
        throw new IllegalArgumentException("step: a stalled CONNECT is NO_GREETING");
      }
    }

    @Override
    public Fault times(int n) {
      return new Limited(this, n);
    }

    @Override
    public String toString() {
      return "stall(" + step + ")";
    }
  }

  /**
   * {@link Fault#drop(Step)}.
   *
   * @param step where the server hangs up
   */
  record Drop(Step step) implements Fault {
    /**
     * Checks the step.
     *
     * @param step see the record
     */
    public Drop {
      Objects.requireNonNull(step, "step");
      if (step == Step.CONNECT) {
        throw new IllegalArgumentException(
            "step: CONNECT cannot be dropped; use NO_GREETING or reject");
      }
    }

    @Override
    public Fault times(int n) {
      return new Limited(this, n);
    }

    @Override
    public String toString() {
      return "drop(" + step + ")";
    }
  }

  /**
   * {@link Fault#times(int)}: a fault that acts a number of times, then is gone.
   *
   * @param fault what happens; never itself limited
   * @param times how often; at least 1
   */
  record Limited(Fault fault, int times) implements Fault {
    /**
     * Checks the count; limiting a limited fault sets a new count.
     *
     * @param fault see the record
     * @param times see the record
     */
    public Limited {
      Objects.requireNonNull(fault, "fault");
      if (times < 1) {
        throw new IllegalArgumentException("n: must be at least 1, but was " + times);
      }
      if (fault instanceof Limited limited) {
        fault = limited.fault();
      }
    }

    @Override
    public Fault times(int n) {
      return new Limited(fault, n);
    }

    @Override
    public String toString() {
      return fault + ".times(" + times + ")";
    }
  }
}
