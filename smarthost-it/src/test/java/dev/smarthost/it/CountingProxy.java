package dev.smarthost.it;

import dev.smarthost.SmarthostSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback in front of a server that counts the bytes the client sent: proof that a
 * message was, or was not, uploaded.
 */
final class CountingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final AtomicLong clientBytes = new AtomicLong();

  private CountingProxy(int target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "counting-proxy");
    accept.setDaemon(true);
    accept.start();
  }

  static CountingProxy inFrontOf(int port) throws IOException {
    return new CountingProxy(port);
  }

  /** The same settings, through the proxy. */
  SmarthostSettings settings(SmarthostSettings server) {
    return server.toBuilder().host("127.0.0.1").port(listener.getLocalPort()).build();
  }

  long clientBytes() {
    return clientBytes.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
        pump(client.getInputStream(), server.getOutputStream(), clientBytes, client, server);
        pump(server.getInputStream(), client.getOutputStream(), new AtomicLong(), server, client);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void pump(
      InputStream in, OutputStream out, AtomicLong count, Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  count.addAndGet(n);
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side went away
              } finally {
                close(from);
                close(to);
              }
            },
            "counting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void close(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
