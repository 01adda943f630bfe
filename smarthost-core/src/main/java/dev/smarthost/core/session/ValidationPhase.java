package dev.smarthost.core.session;

/**
 * The steps of an SMTP conversation, as a connection check reports them: {@link
 * dev.smarthost.core.check.ValidationResult#phases()} lists those that ran in the order they
 * happened: {@code resolve, connect, [tls,] greeting, ehlo, [starttls, ehlo,] [auth,] mail, rcpt,
 * data}.
 */
public enum ValidationPhase {
  /** Looking up the host name. */
  RESOLVE,
  /** Getting an OAuth 2.0 access token (only with {@link dev.smarthost.Authentication#OAUTH2}). */
  TOKEN,
  /** Opening the TCP connection. */
  CONNECT,
  /** The implicit-TLS handshake, right after connecting and before the greeting. */
  TLS,
  /** Waiting for the server's 220 greeting. */
  GREETING,
  /** EHLO (or HELO); listed twice with STARTTLS, before and after it. */
  EHLO,
  /** The STARTTLS command and the TLS handshake that follows it. */
  STARTTLS,
  /** Authentication. */
  AUTH,
  /**
   * MAIL FROM: of the test message, or without one the {@code MAIL FROM:<>} probe that tells
   * whether the server demands authentication.
   */
  MAIL,
  /** RCPT TO of the test message, all recipients. */
  RCPT,
  /** The test message's content (DATA or BDAT) up to the server's final reply. */
  DATA
}
