package dev.smarthost.core.internal;

import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Hands the TLS socket that Angus layers inside {@code protocolConnect} back to the transport that
 * called it. Angus creates and handshakes the socket on the connecting thread, so a thread-local
 * slot links the two without touching Angus' private fields.
 */
final class TlsCapture {
  private static final ThreadLocal<TlsCapture> CURRENT = new ThreadLocal<>();

  private @Nullable SSLSocket socket;

  private TlsCapture() {}

  static TlsCapture start() {
    TlsCapture capture = new TlsCapture();
    CURRENT.set(capture);
    return capture;
  }

  static void record(SSLSocket socket) {
    TlsCapture capture = CURRENT.get();
    if (capture != null) {
      capture.socket = socket;
    }
  }

  @Nullable SSLSocket finish() {
    CURRENT.remove();
    return socket;
  }
}
