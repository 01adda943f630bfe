package dev.smarthost.core.internal;

import jakarta.mail.MessagingException;
import org.jspecify.annotations.Nullable;

/**
 * Opening a pooled connection failed; carries how far it got. The classifier finds the trace in the
 * exception chain, so no caller unwraps it.
 */
public final class ConnectFailedException extends MessagingException {
  private static final long serialVersionUID = 1L;

  private final transient @Nullable ConnectionTrace trace;

  /**
   * Wraps what connecting threw.
   *
   * @param cause what Angus threw
   * @param trace how far the connection got
   */
  public ConnectFailedException(MessagingException cause, ConnectionTrace trace) {
    super(cause.getMessage(), cause);
    this.trace = trace;
  }

  /** How far the connection got; null only after deserialisation. */
  @Nullable ConnectionTrace trace() {
    return trace;
  }
}
