package dev.smarthost.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What Exim did to a message over its limit sent without SIZE=: it offers PIPELINING and CHUNKING
 * (no SIZE), takes the envelope, reads the first BDAT chunk, answers {@code 552 5.3.4} and closes
 * the connection under a client that is still writing chunks.
 */
final class ChunkRefusingServer implements AutoCloseable {
  private final ServerSocket listener;
  private final AtomicInteger connections = new AtomicInteger();

  private ChunkRefusingServer() throws IOException {
    listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::serve, "chunk-refusing-server");
    t.setDaemon(true);
    t.start();
  }

  static ChunkRefusingServer start() throws IOException {
    return new ChunkRefusingServer();
  }

  int port() {
    return listener.getLocalPort();
  }

  int connections() {
    return connections.get();
  }

  private void serve() {
    while (!listener.isClosed()) {
      try (Socket s = listener.accept()) {
        connections.incrementAndGet();
        s.setSoTimeout(10_000);
        converse(new BufferedInputStream(s.getInputStream()), s.getOutputStream());
      } catch (IOException e) {
        // the client went away, or the listener closed
      }
    }
  }

  private static void converse(InputStream in, OutputStream out) throws IOException {
    reply(out, "220 fake ESMTP");
    for (String line; (line = line(in)) != null; ) {
      String verb = line.split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
      switch (verb) {
        case "EHLO" -> reply(out, "250-fake\r\n250-PIPELINING\r\n250 CHUNKING");
        case "MAIL", "RCPT", "RSET", "NOOP" -> reply(out, "250 2.0.0 Ok");
        case "BDAT" -> {
          int size = Integer.parseInt(line.split(" ")[1]);
          in.readNBytes(size);
          reply(out, "552 5.3.4 Message size exceeds fixed limit");
          return; // and hang up, as Exim does
        }
        case "QUIT" -> {
          reply(out, "221 Bye");
          return;
        }
        default -> reply(out, "502 5.5.2 Not here");
      }
    }
  }

  private static void reply(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static @org.jspecify.annotations.Nullable String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        return null;
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
