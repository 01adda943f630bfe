package dev.smarthost.core;

/** The stages of a connection check, in the order they happen. */
public enum ValidationPhase {
  /** Looking up the host name. */
  RESOLVE,
  /** Opening the TCP connection. */
  CONNECT,
  /** The TLS handshake (implicit TLS before the greeting, STARTTLS after the first EHLO). */
  TLS,
  /** Waiting for the server's 220 greeting. */
  GREETING,
  /** EHLO (or HELO), both before and after STARTTLS. */
  EHLO,
  /** Authentication. */
  AUTH,
  /** Sending the test message: MAIL, RCPT, DATA. */
  SEND
}
