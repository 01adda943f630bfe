package dev.smarthost.testkit.internal;

import dev.smarthost.testkit.Fault;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * The client's side of one front session: reads command lines, writes replies, upgrades to TLS, and
 * acts out step faults. Also the small parsers for command lines.
 */
public final class InboundConnection {
  private final Socket plain;
  private LineReader in;
  private OutputStream out;
  private @Nullable String tlsProtocol;

  InboundConnection(Socket plain) throws IOException {
    this.plain = plain;
    this.in = new LineReader(new BufferedInputStream(plain.getInputStream()));
    this.out = new BufferedOutputStream(plain.getOutputStream());
  }

  /** One line without its CRLF; null when the client closed the connection. */
  byte @Nullable [] readLine() throws IOException {
    return in.readLine();
  }

  /** Whether the client already sent more (it pipelined). */
  boolean hasBufferedInput() throws IOException {
    return in.hasBufferedInput();
  }

  /** Exactly {@code count} bytes of message data (BDAT). */
  byte[] readExactly(int count) throws IOException {
    return in.readExactly(count);
  }

  void reply(String reply) throws IOException {
    write(reply);
    out.flush();
  }

  /** One reply line, without flushing: for multi-line replies. */
  void write(String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.UTF_8));
    out.write('\r');
    out.write('\n');
  }

  void flush() throws IOException {
    out.flush();
  }

  /** Runs the server side of a TLS handshake (implicit TLS, or after STARTTLS's 220). */
  void startTls(SSLContext context) throws IOException {
    SSLSocket tls =
        (SSLSocket) context.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
    tls.setUseClientMode(false);
    tls.startHandshake();
    tlsProtocol = tls.getSession().getProtocol();
    in = new LineReader(new BufferedInputStream(tls.getInputStream()));
    out = new BufferedOutputStream(tls.getOutputStream());
  }

  /** The negotiated TLS protocol, or null while the connection is in clear text. */
  @Nullable String tlsProtocol() {
    return tlsProtocol;
  }

  /** Reads and drops everything until the client leaves (or the idle timeout ends the read). */
  void swallowInput() throws IOException {
    while (in.readLine() != null) {
      // silent on purpose
    }
  }

  /**
   * Applies a step fault: a reject answers the command (true); a stall swallows input until the
   * client gives up; a drop hangs up. Both of the latter end the session with an exception.
   */
  boolean act(Optional<Fault> fault) throws IOException {
    if (fault.isEmpty()) {
      return false;
    }
    Fault f = FaultRules.act(fault.get());
    if (f instanceof Fault.Reject || f instanceof Fault.RejectRecipient) {
      reply(FaultRules.reply(f).orElseThrow());
      return true;
    } else if (f instanceof Fault.Stall) {
      swallowInput();
      throw new IOException("stalled until the client left: " + fault.get());
    } else if (f instanceof Fault.Drop) {
      throw new IOException("dropped the connection: " + fault.get());
    }
    return false;
  }

  static String text(byte[] line) {
    return new String(line, StandardCharsets.UTF_8);
  }

  static String verb(String line) {
    int space = line.indexOf(' ');
    return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
  }

  static String argument(String line) {
    int space = line.indexOf(' ');
    return space < 0 ? "" : line.substring(space + 1).trim();
  }

  /** The address between the angle brackets of MAIL FROM:&lt;…&gt; or RCPT TO:&lt;…&gt;. */
  static String address(String line) {
    int start = line.indexOf('<');
    int end = line.indexOf('>', start + 1);
    if (start >= 0 && end > start) {
      return line.substring(start + 1, end);
    }
    int colon = line.indexOf(':');
    return colon < 0 ? "" : line.substring(colon + 1).trim();
  }
}
