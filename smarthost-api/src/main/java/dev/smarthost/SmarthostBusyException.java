package dev.smarthost;

/**
 * The mailer cannot take the message now: its queue is full, or no connection became free in time.
 * Nothing was sent; try again later or send more slowly.
 */
public final class SmarthostBusyException extends SmarthostException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is full, without secrets
   */
  public SmarthostBusyException(String message) {
    super(message, null);
  }
}
