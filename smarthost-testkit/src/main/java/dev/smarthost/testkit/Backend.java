package dev.smarthost.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The front's plain SMTP connection to GreenMail, which stores and parses the mail. */
final class Backend implements AutoCloseable {
  private static final int TIMEOUT_MILLIS = 30_000;

  private final Socket socket;
  private final LineReader in;
  private final OutputStream out;

  private Backend(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new LineReader(new BufferedInputStream(socket.getInputStream()));
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  static Backend open(int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), TIMEOUT_MILLIS);
      Backend backend = new Backend(socket);
      expect(backend.readReply(), "220");
      expect(backend.command("EHLO smarthost-testkit"), "250");
      return backend;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static void expect(String reply, String code) throws IOException {
    if (!reply.startsWith(code)) {
      throw new IOException("GreenMail answered: " + reply);
    }
  }

  /** Sends one command line and returns the whole reply, lines joined by CRLF. */
  String command(String line) throws IOException {
    write(line.getBytes(StandardCharsets.UTF_8));
    return readReply();
  }

  void write(byte[] line) throws IOException {
    out.write(line);
    out.write('\r');
    out.write('\n');
  }

  String readReply() throws IOException {
    out.flush();
    StringBuilder reply = new StringBuilder();
    while (true) {
      byte[] line = in.readLine();
      if (line == null) {
        throw new IOException("GreenMail closed the connection");
      }
      String text = new String(line, StandardCharsets.UTF_8);
      if (reply.length() > 0) {
        reply.append("\r\n");
      }
      reply.append(text);
      if (text.length() < 4 || text.charAt(3) != '-') {
        return reply.toString();
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing a loopback socket; nothing to report
    }
  }
}
