package dev.smarthost.core.internal;

import java.time.Duration;

/**
 * A deadline of ours ran out before the server answered: the check's total deadline, the host
 * lookup's share of it, or the mailer's send timeout. Classified by how far the connection got.
 */
public final class DeadlineExceededException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Duration deadline;

  /**
   * Creates the exception.
   *
   * @param what what took too long, e.g. {@code "the send"}
   * @param deadline the deadline that ran out
   */
  public DeadlineExceededException(String what, Duration deadline) {
    this(what + " took longer than the deadline of " + deadline.toMillis() + " ms", deadline, 0);
  }

  private DeadlineExceededException(String message, Duration deadline, int unused) {
    super(message);
    this.deadline = deadline;
  }

  /**
   * The check stopped waiting for the greeting after {@code waited}, because another connection
   * answered sooner.
   */
  public static DeadlineExceededException noGreetingAfter(Duration waited) {
    return new DeadlineExceededException(
        "no greeting after " + waited.toMillis() + " ms", waited, 0);
  }

  /** The deadline that ran out. */
  public Duration deadline() {
    return deadline;
  }
}
