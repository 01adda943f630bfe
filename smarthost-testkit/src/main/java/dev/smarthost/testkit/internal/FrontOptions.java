package dev.smarthost.testkit.internal;

import dev.smarthost.Encryption;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * How the front is configured: where it listens, its encryption and logins, the EHLO extensions,
 * the advertised message size limit and the connection limit.
 *
 * @param port the port to bind on loopback (0: a free one)
 * @param encryption NONE, STARTTLS or TLS
 * @param username the login AUTH requires (null: no AUTH)
 * @param password the password for PLAIN and LOGIN (null: not offered)
 * @param tokenVerifier accepts OAuth 2.0 tokens for XOAUTH2 and OAUTHBEARER (null: not offered)
 * @param idleTimeoutMillis how long a client may stay silent
 * @param pipelining EHLO offers PIPELINING (RFC 2920)
 * @param chunking EHLO offers CHUNKING and BDAT is accepted (RFC 3030)
 * @param smtputf8 EHLO offers SMTPUTF8; without it (or without the MAIL parameter) a non-ASCII
 *     address is refused with 553 (RFC 6531)
 * @param maxMessageSize the limit EHLO advertises as SIZE (RFC 1870) and enforces with 552
 * @param maxConnections connections served at once; one more is answered 421 at connect (0: no
 *     limit)
 */
public record FrontOptions(
    int port,
    Encryption encryption,
    @Nullable String username,
    @Nullable String password,
    @Nullable Predicate<String> tokenVerifier,
    int idleTimeoutMillis,
    boolean pipelining,
    boolean chunking,
    boolean smtputf8,
    long maxMessageSize,
    int maxConnections) {

  /** Without the password. */
  @Override
  public String toString() {
    return "FrontOptions{port="
        + port
        + ", "
        + encryption
        + (username != null ? ", auth as " + username : "")
        + (tokenVerifier != null ? " (OAuth 2.0)" : "")
        + ", idle="
        + idleTimeoutMillis
        + " ms, pipelining="
        + pipelining
        + ", chunking="
        + chunking
        + ", smtputf8="
        + smtputf8
        + ", maxMessageSize="
        + maxMessageSize
        + ", maxConnections="
        + maxConnections
        + "}";
  }
}
