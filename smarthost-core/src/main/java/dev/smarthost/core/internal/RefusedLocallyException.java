package dev.smarthost.core.internal;

import jakarta.mail.MessagingException;

/**
 * A message this client refuses to send before anything of it goes on the wire, because the server
 * could only misread it or refuse it: larger than the server's advertised SIZE, a non-ASCII address
 * for a server without SMTPUTF8, a line break inside an address. The classifier turns its {@link
 * #reason()} into a kind; the connection stays usable.
 */
public final class RefusedLocallyException extends MessagingException {
  private static final long serialVersionUID = 1L;

  /** Why the message was refused. */
  enum Reason {
    /** The envelope sender cannot be written as an address. */
    SENDER_ADDRESS,
    /** A recipient cannot be written as an address. */
    RECIPIENT_ADDRESS,
    /** A non-ASCII address, and the server does not offer SMTPUTF8 (or it cannot be used). */
    NEEDS_SMTPUTF8,
    /** Larger than the server's advertised SIZE. */
    TOO_LARGE
  }

  private final Reason reason;

  RefusedLocallyException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why the message was refused. */
  Reason reason() {
    return reason;
  }
}
