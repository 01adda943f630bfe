import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Occupies 127.0.0.1:PORT (default 25) with an SMTP server that accepts everything, as a developer
 * machine's own MTA would, for the duration of the build: a test that assumed "nothing listens on
 * port 25" would then see a relay that says yes. When the port is taken already (a real MTA), says
 * so and keeps running: the port is busy either way.
 *
 * <p>Usage: {@code java .ci/BusyPort.java [port] &}; stop it with kill.
 */
public class BusyPort {
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 25;
    ServerSocket server;
    try {
      server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
    } catch (BindException e) {
      System.out.println("busy-port: 127.0.0.1:" + port + " is taken already (" + e.getMessage() + ")");
      Thread.sleep(Long.MAX_VALUE);
      return;
    }
    System.out.println("busy-port: an accept-everything SMTP server holds 127.0.0.1:" + port);
    while (true) {
      Socket s = server.accept();
      Thread t = new Thread(() -> talk(s));
      t.setDaemon(true);
      t.start();
    }
  }

  private static void talk(Socket s) {
    try (s) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      send(out, "220 busy.localhost ESMTP accepts everything");
      boolean data = false;
      for (String line; (line = in.readLine()) != null; ) {
        if (data) {
          if (line.equals(".")) {
            data = false;
            send(out, "250 2.0.0 accepted");
          }
          continue;
        }
        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
        switch (verb) {
          case "EHLO" -> send(out, "250-busy.localhost\r\n250 8BITMIME");
          case "DATA" -> {
            data = true;
            send(out, "354 go ahead");
          }
          case "QUIT" -> {
            send(out, "221 bye");
            return;
          }
          default -> send(out, "250 ok");
        }
      }
    } catch (IOException e) {
      // the client went away
    }
  }

  private static void send(OutputStream out, String reply) throws IOException {
    out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
