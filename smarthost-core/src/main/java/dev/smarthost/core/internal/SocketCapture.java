package dev.smarthost.core.internal;

import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Hands what the socket factories see inside Angus' {@code protocolConnect} back to the transport
 * that called it: the plain socket, the TLS socket and when each was made. Angus creates, connects
 * and handshakes on the connecting thread, so a thread-local slot links the two without touching
 * Angus' private fields.
 */
final class SocketCapture {
  private static final ThreadLocal<SocketCapture> CURRENT = new ThreadLocal<>();

  volatile @Nullable Socket plain;
  volatile @Nullable SSLSocket tls;
  volatile long connectedNanos;
  volatile long tlsStartNanos;

  private SocketCapture() {}

  static SocketCapture start() {
    SocketCapture capture = new SocketCapture();
    CURRENT.set(capture);
    return capture;
  }

  static void connected(Socket plain) {
    SocketCapture capture = CURRENT.get();
    if (capture != null && capture.connectedNanos == 0) {
      capture.plain = plain;
      capture.connectedNanos = System.nanoTime();
    }
  }

  static void tlsStarted(Socket plain, SSLSocket tls) {
    SocketCapture capture = CURRENT.get();
    if (capture != null) {
      connected(plain);
      capture.tls = tls;
      capture.tlsStartNanos = System.nanoTime();
    }
  }

  void finish() {
    CURRENT.remove();
  }
}
