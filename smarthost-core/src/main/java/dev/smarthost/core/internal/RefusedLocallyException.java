package dev.smarthost.core.internal;

import dev.smarthost.FailureKind;
import jakarta.mail.MessagingException;

/**
 * A message this client refuses to send before anything of it goes on the wire, because the server
 * could only misread it or refuse it: larger than the server's advertised SIZE, a non-ASCII address
 * for a server without SMTPUTF8, a line break inside an address. Classified as its {@link #kind()};
 * the connection stays usable.
 */
public final class RefusedLocallyException extends MessagingException {
  private static final long serialVersionUID = 1L;

  private final FailureKind kind;

  RefusedLocallyException(FailureKind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** The failure's kind. */
  public FailureKind kind() {
    return kind;
  }
}
