package dev.smarthost;

import org.jspecify.annotations.Nullable;

/**
 * The outbox could not store a message durably (the disk is full or refuses writes), or cannot be
 * opened (in use by another process, unreadable). When thrown by {@code enqueue}, nothing was
 * accepted and nothing half-written is left behind: the caller still owns the message.
 */
public final class SmarthostOutboxException extends SmarthostException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed and where, without secrets
   * @param cause the I/O failure, if any
   */
  public SmarthostOutboxException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
