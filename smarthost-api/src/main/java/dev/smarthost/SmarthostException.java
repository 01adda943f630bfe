package dev.smarthost;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception a smarthost module throws. Unchecked; catch a subclass to handle one
 * condition. No message of any subclass contains a password.
 */
public class SmarthostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what went wrong, without secrets
   * @param cause the underlying failure, if any
   */
  protected SmarthostException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
