package dev.smarthost;

import org.jspecify.annotations.Nullable;

/**
 * Base of every exception a smarthost module throws. Unchecked; catch a subclass to handle one
 * condition. No message of any subclass contains a password.
 *
 * <p>A closed set, one type per condition: the settings cannot be used ({@link
 * SmarthostConfigurationException}), e-mail is switched off ({@link SmarthostDisabledException}),
 * the mailer is saturated or closing ({@link SmarthostBusyException}), the server refused or failed
 * ({@link SmarthostSendException}, with the classified failure), the outbox could not keep a
 * message ({@link SmarthostOutboxException}).
 */
public abstract sealed class SmarthostException extends RuntimeException
    permits SmarthostConfigurationException,
        SmarthostDisabledException,
        SmarthostBusyException,
        SmarthostSendException,
        SmarthostOutboxException {
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
