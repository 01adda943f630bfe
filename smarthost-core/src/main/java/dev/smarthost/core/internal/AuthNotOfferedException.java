package dev.smarthost.core.internal;

import jakarta.mail.MessagingException;

/**
 * Credentials are configured but the server accepted no {@code AUTH}. Angus alone would carry on
 * unauthenticated; the smarthost transport refuses.
 */
public final class AuthNotOfferedException extends MessagingException {
  private static final long serialVersionUID = 1L;

  public AuthNotOfferedException(String authority) {
    super(
        "SMTP server "
            + authority
            + " offers no AUTH although credentials are configured; refusing to send"
            + " unauthenticated");
  }
}
