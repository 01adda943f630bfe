package dev.smarthost.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A man in the middle on loopback: relays one connection to a real server, removes the STARTTLS
 * line from the server's EHLO reply, and records every byte the client sends.
 */
final class StarttlsStrippingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
  private final Thread thread;

  StarttlsStrippingProxy(int target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    this.thread = new Thread(this::serve, "starttls-stripper");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  synchronized String clientBytes() {
    return fromClient.toString(StandardCharsets.ISO_8859_1);
  }

  private void serve() {
    try (Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target)) {
      client.setSoTimeout(20_000);
      server.setSoTimeout(20_000);
      Thread up = new Thread(() -> copyRecording(client, server), "stripper-up");
      up.setDaemon(true);
      up.start();
      copyStripping(server, client);
      up.join(5_000);
    } catch (IOException | InterruptedException e) {
      // the client gave up: that is the expected end
    }
  }

  private void copyRecording(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[4096];
      for (int n; (n = in.read(buffer)) > 0; ) {
        synchronized (this) {
          fromClient.write(buffer, 0, n);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // connection closed
    }
  }

  /**
   * Line by line, dropping "250-STARTTLS"/"250 STARTTLS" (keeping a reply's last line well-formed).
   */
  private static void copyStripping(Socket from, Socket to) throws IOException {
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    String previous = null;
    for (int b; (b = in.read()) >= 0; ) {
      line.write(b);
      if (b != '\n') {
        continue;
      }
      String text = line.toString(StandardCharsets.ISO_8859_1);
      line.reset();
      if (text.substring(4).trim().equalsIgnoreCase("STARTTLS")) {
        if (text.charAt(3) == ' ' && previous != null) {
          // STARTTLS was the last line: the line before becomes the last one
          out.write(("250 " + previous.substring(4)).getBytes(StandardCharsets.ISO_8859_1));
          previous = null;
        }
        continue;
      }
      if (previous != null) {
        out.write(previous.getBytes(StandardCharsets.ISO_8859_1));
      }
      previous = text.length() > 3 && text.charAt(3) == '-' ? text : null;
      if (previous == null) {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
