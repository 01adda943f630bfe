package dev.smarthost;

/**
 * Why talking to the smarthost failed, in terms an administrator can act on. The names are part of
 * the contract: they appear in JSON output and may be persisted.
 */
public enum FailureKind {
  /** The host name does not resolve. */
  UNKNOWN_HOST(false),
  /** Nothing listens on the port (connection refused). */
  CONNECTION_REFUSED(false),
  /** The TCP connection was not established in time (filtered port, wrong address). */
  CONNECT_TIMEOUT(true),
  /** The server accepted the connection but never sent its 220 greeting. */
  NO_GREETING(true),
  /** The port expects implicit TLS, but the settings speak clear text or STARTTLS. */
  SERVER_EXPECTS_TLS(false),
  /** Implicit TLS was configured, but the server answers in clear text. */
  SERVER_DOES_NOT_SPEAK_TLS(false),
  /** The TLS handshake failed for a reason other than the certificate (protocols, ciphers). */
  TLS_HANDSHAKE_FAILED(false),
  /** The server's certificate is not signed by a trusted authority (self-signed, private CA). */
  CERTIFICATE_UNTRUSTED(false),
  /** The server's certificate has expired or is not yet valid. */
  CERTIFICATE_EXPIRED(false),
  /** The server's certificate is not issued for the configured host name. */
  CERTIFICATE_NAME_MISMATCH(false),
  /** STARTTLS was required, but the server does not offer it. */
  STARTTLS_NOT_OFFERED(false),
  /**
   * The server requires TLS before it goes on ({@code 530 5.7.0 Must issue a STARTTLS command
   * first}), but the encryption is none.
   */
  ENCRYPTION_REQUIRED(false),
  /**
   * No OAuth 2.0 access token: the token endpoint could not be reached or refused the client
   * ({@code invalid_client}, {@code unauthorized_client}, {@code invalid_scope}; the OAuth error
   * code is in the detail). Temporary, so that queued mail waits until the administrator fixes the
   * client instead of being given up.
   */
  OAUTH2_TOKEN_FAILED(true),
  /** Credentials are configured, but the server offers no AUTH (or no usable mechanism). */
  AUTH_NOT_OFFERED(false),
  /** The server rejected the user name or password. */
  AUTHENTICATION_FAILED(false),
  /** The server requires AUTH, but no credentials are configured. */
  AUTHENTICATION_REQUIRED(false),
  /** The server refused the envelope sender. */
  SENDER_REJECTED(false),
  /** The server refused a recipient (often: relaying denied). */
  RECIPIENT_REJECTED(false),
  /** The server refused the message content after DATA. */
  MESSAGE_REJECTED(false),
  /**
   * The message is larger than the server accepts: over the limit it advertises in EHLO ({@code
   * SIZE}, RFC 1870) — then it was refused before anything was uploaded — or the server answered
   * {@code 552 5.3.4}. Sending it again unchanged never helps.
   */
  MESSAGE_TOO_LARGE(false),
  /**
   * An envelope address is not ASCII (e.g. {@code δοκιμή@example.org}) and the server does not
   * offer SMTPUTF8 (RFC 6531): the address cannot go as written, so nothing was sent. (A non-ASCII
   * domain with an ASCII local part goes as its A-label and needs no SMTPUTF8.)
   */
  SMTPUTF8_NOT_OFFERED(false),
  /** The server is temporarily unavailable (421 or another 4xx reply). */
  SERVER_UNAVAILABLE(true),
  /**
   * The server stopped answering (read timeout) or stopped reading (write timeout) in the middle of
   * the conversation.
   */
  READ_TIMEOUT(true),
  /** The server answered something this client cannot use, or closed the connection. */
  PROTOCOL_ERROR(true);

  private final boolean temporary;

  FailureKind(boolean temporary) {
    this.temporary = temporary;
  }

  /**
   * Returns whether trying again later, unchanged, may succeed.
   *
   * @return true for timeouts, 4xx replies and dropped connections
   */
  public boolean isTemporary() {
    return temporary;
  }
}
