package dev.smarthost.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLContext;

/**
 * TLS in front of a plain redis-server (as stunnel or a Redis built with TLS would be): a real
 * handshake with the test's own certificate, then bytes both ways. Works with the embedded Redis
 * binary, which has no TLS of its own.
 */
final class TlsTerminator implements AutoCloseable {
  private final ServerSocket server;
  private final int backendPort;

  TlsTerminator(SSLContext context, int backendPort) throws IOException {
    this.server =
        context
            .getServerSocketFactory()
            .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.backendPort = backendPort;
    Thread acceptor = new Thread(this::accept, "tls-terminator");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket backend = new Socket(InetAddress.getLoopbackAddress(), backendPort);
        pump(client, backend);
        pump(backend, client);
      } catch (IOException e) {
        // closed, or a client that failed its handshake
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tls-terminator-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
