package dev.smarthost;

/**
 * The administrator switched e-mail off: the resolver answered with no settings, so nothing is sent
 * and nothing is queued.
 */
public final class SmarthostDisabledException extends SmarthostException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param source the resolver that answered "off", for the message
   */
  public SmarthostDisabledException(String source) {
    super(
        "e-mail is switched off (" + source + " has no smarthost settings); nothing was sent",
        null);
  }
}
