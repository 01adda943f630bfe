package dev.smarthost.core.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Tells a silent plain-text port from an implicit-TLS port: both look like "no greeting" to a
 * client that speaks clear text, but only the second completes a TLS handshake.
 */
public final class TlsProbe {
  private TlsProbe() {}

  /**
   * Whether {@code host:port} completes a TLS handshake within {@code timeout}, looking the host up
   * (through the system's cache: the caller has just connected to it).
   */
  public static boolean speaksTls(String host, int port, Duration timeout) {
    return speaksTls(new InetSocketAddress(host, port), host, timeout);
  }

  /**
   * Whether an address already looked up completes a TLS handshake within {@code timeout}.
   *
   * @param address the server's address and port
   * @param host the name the server was looked up by, for SNI
   */
  public static boolean speaksTls(InetSocketAddress address, String host, Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    int port = address.getPort();
    try (Socket plain = new Socket()) {
      plain.connect(address, millis);
      plain.setSoTimeout(millis);
      SSLContext context = SSLContext.getInstance("TLS");
      // Only to see whether TLS is spoken at all; nothing is sent over this connection.
      context.init(null, new TrustManager[] {new TrustAllTrustManager()}, null);
      try (SSLSocket tls =
          (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
        tls.startHandshake();
        return true;
      }
    } catch (IOException | java.security.GeneralSecurityException e) {
      return false;
    }
  }
}
