package dev.smarthost.testkit.internal;

/**
 * What the front offers and allows besides encryption and AUTH: the EHLO extensions, the advertised
 * message size limit and the connection limit.
 *
 * @param pipelining EHLO offers PIPELINING (RFC 2920)
 * @param chunking EHLO offers CHUNKING and BDAT is accepted (RFC 3030)
 * @param smtputf8 EHLO offers SMTPUTF8; without it (or without the MAIL parameter) a non-ASCII
 *     address is refused with 553 (RFC 6531)
 * @param maxMessageSize the limit EHLO advertises as SIZE (RFC 1870) and enforces with 552
 * @param maxConnections connections served at once; one more is answered 421 at connect (0: no
 *     limit)
 */
public record FrontOptions(
    boolean pipelining,
    boolean chunking,
    boolean smtputf8,
    long maxMessageSize,
    int maxConnections) {}
