package dev.smarthost.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Accepts SMTP connections and sends an endless multi-line greeting one byte at a time, each byte a
 * little before the client's read timeout would expire: the slow-loris of SMTP servers.
 */
final class TricklingServer implements AutoCloseable {
  private static final byte[] LINE = "220-still greeting\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final Duration interval;
  private final AtomicInteger connections = new AtomicInteger();
  private final Thread acceptor;

  TricklingServer(Duration interval) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.interval = interval;
    this.acceptor = new Thread(this::accept, "trickling-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        Thread t = new Thread(() -> trickle(s), "trickling-connection");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void trickle(Socket s) {
    // Bounded: at most 2 minutes per connection, then it closes by itself.
    long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    try (s;
        OutputStream out = s.getOutputStream()) {
      for (int i = 0; System.nanoTime() < end && !server.isClosed(); i++) {
        out.write(LINE[i % LINE.length]);
        out.flush();
        Thread.sleep(interval.toMillis());
      }
    } catch (IOException e) {
      // the client gave up: what the test waits for
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
