package dev.smarthost.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The testkit offers and honours PIPELINING and CHUNKING (issue 22's server side), can be told not
 * to, and records whether a client pipelined or chunked.
 */
@Timeout(30)
class PipeliningAndChunkingTest {

  /** A clear-text client that writes whole groups of commands at once and reads the replies. */
  static final class RawClient implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final OutputStream out;

    RawClient(SmarthostServer server) throws Exception {
      socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
      socket.setSoTimeout(5_000);
      in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out = socket.getOutputStream();
      reply(); // greeting
    }

    /** Writes the lines in one write (one segment), CRLF after each. */
    void send(String... lines) throws Exception {
      StringBuilder b = new StringBuilder();
      for (String line : lines) {
        b.append(line).append("\r\n");
      }
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    void sendBytes(byte[] bytes) throws Exception {
      out.write(bytes);
      out.flush();
    }

    /** One whole reply, lines joined by \n. */
    String reply() throws Exception {
      StringBuilder b = new StringBuilder();
      while (true) {
        String line = in.readLine();
        if (line == null) {
          throw new IllegalStateException("closed");
        }
        b.append(b.length() > 0 ? "\n" : "").append(line);
        if (line.length() < 4 || line.charAt(3) != '-') {
          return b.toString();
        }
      }
    }

    List<String> replies(int n) throws Exception {
      List<String> r = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        r.add(reply());
      }
      return r;
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }

  @Test
  void ehloOffersBothUnlessToldNot() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        RawClient c = new RawClient(server)) {
      c.send("EHLO client.test");
      assertThat(c.reply()).contains("250-PIPELINING", "CHUNKING");
    }
    try (SmarthostServer server =
            SmarthostServer.builder()
                .encryption(Encryption.NONE)
                .pipelining(false)
                .chunking(false)
                .start();
        RawClient c = new RawClient(server)) {
      c.send("EHLO client.test");
      assertThat(c.reply()).doesNotContain("PIPELINING").doesNotContain("CHUNKING");
    }
  }

  @Test
  void aPipelinedGroupGetsItsRepliesInOrderWithMixedRecipientResults() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      server.fault(Fault.rejectRecipient("gone@example.org", 550, "5.1.1 No such user"));
      try (RawClient c = new RawClient(server)) {
        c.send("EHLO client.test");
        c.reply();
        c.send(
            "MAIL FROM:<app@example.org>",
            "RCPT TO:<a@example.org>",
            "RCPT TO:<gone@example.org>",
            "RCPT TO:<b@example.org>",
            "DATA");
        List<String> replies = c.replies(5);
        assertThat(replies.get(0)).startsWith("250");
        assertThat(replies.get(1)).startsWith("250");
        assertThat(replies.get(2)).startsWith("550 5.1.1 No such user");
        assertThat(replies.get(3)).startsWith("250");
        assertThat(replies.get(4)).startsWith("354");
        c.send("Subject: pipelined", "", "..a line that starts with a dot", ".");
        assertThat(c.reply()).startsWith("250 2.0.0 Ok: queued as");
        c.send("QUIT");
        c.reply();
      }
      ReceivedMessage r = server.awaitMessages(1, Duration.ofSeconds(5)).get(0);
      assertThat(r.pipelined()).isTrue();
      assertThat(r.chunked()).isFalse();
      assertThat(r.recipients()).containsExactly("a@example.org", "b@example.org");
      assertThat(r.body()).isEqualTo(".a line that starts with a dot\n"); // with its final CRLF
    }
  }

  @Test
  void bdatChunksPipelinedWithTheEnvelopeMakeOneMessage() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        RawClient c = new RawClient(server)) {
      c.send("EHLO client.test");
      c.reply();
      byte[] first = "Subject: chunked\r\n\r\nfirst half, ".getBytes(StandardCharsets.UTF_8);
      byte[] second = "second half\r\n".getBytes(StandardCharsets.UTF_8);
      c.send("MAIL FROM:<app@example.org>", "RCPT TO:<a@example.org>", "BDAT " + first.length);
      c.sendBytes(first);
      c.send("BDAT " + second.length + " LAST");
      c.sendBytes(second);
      List<String> replies = c.replies(4); // one round trip for the whole transaction
      assertThat(replies.get(0)).startsWith("250");
      assertThat(replies.get(1)).startsWith("250");
      assertThat(replies.get(2)).isEqualTo("250 2.0.0 " + first.length + " octets received");
      assertThat(replies.get(3)).startsWith("250 2.0.0 Ok: queued as");
      ReceivedMessage r = server.awaitMessages(1, Duration.ofSeconds(5)).get(0);
      assertThat(r.chunked()).isTrue();
      assertThat(r.pipelined()).isTrue();
      assertThat(r.subject()).hasValue("chunked");
      assertThat(r.body()).isEqualTo("first half, second half\n"); // exactly as sent
    }
  }

  @Test
  void bdatWithoutValidRecipientsIsReadAndRefusedAndTheSessionGoesOn() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      server.fault(Fault.rejectRecipient("gone@example.org", 550, "5.1.1 No such user"));
      try (RawClient c = new RawClient(server)) {
        c.send("EHLO client.test");
        c.reply();
        byte[] body = "Subject: nobody\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8);
        c.send(
            "MAIL FROM:<app@example.org>",
            "RCPT TO:<gone@example.org>",
            "BDAT " + body.length + " LAST");
        c.sendBytes(body);
        List<String> replies = c.replies(3);
        assertThat(replies.get(1)).startsWith("550");
        assertThat(replies.get(2)).startsWith("554 5.5.1 No valid recipients");
        c.send("NOOP");
        assertThat(c.reply()).startsWith("250");
      }
      assertThat(server.receivedMessages()).isEmpty();
    }
  }

  @Test
  void angusSendsWithBdatWhenAChunkSizeIsSetAndWithoutPipelining() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      Properties p = new Properties();
      p.setProperty("mail.smtp.host", "127.0.0.1");
      p.setProperty("mail.smtp.port", Integer.toString(server.port()));
      p.setProperty("mail.smtp.localhost", "client.test");
      p.setProperty("mail.smtp.chunksize", "1000");
      MimeMessage m = new MimeMessage(Session.getInstance(p));
      m.setFrom(new InternetAddress("app@example.org"));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
      m.setSubject("in chunks");
      m.setText("line\n".repeat(1000)); // 5000+ bytes: several BDAT chunks
      Transport.send(m);
      ReceivedMessage r = server.awaitMessages(1, Duration.ofSeconds(5)).get(0);
      assertThat(r.chunked()).isTrue();
      assertThat(r.pipelined()).as("Angus waits for each reply").isFalse();
      assertThat(r.body()).isEqualTo("line\n".repeat(1000));
    }
  }

  @Test
  void withoutChunkingBdatIsReadAndRefused() throws Exception {
    try (SmarthostServer server =
            SmarthostServer.builder().encryption(Encryption.NONE).chunking(false).start();
        RawClient c = new RawClient(server)) {
      c.send("EHLO client.test");
      c.reply();
      c.send("MAIL FROM:<app@example.org>");
      c.reply();
      c.send("RCPT TO:<a@example.org>");
      c.reply();
      c.send("BDAT 3 LAST");
      c.sendBytes("x\r\n".getBytes(StandardCharsets.UTF_8));
      assertThat(c.reply()).startsWith("502 5.5.1 CHUNKING is not offered");
      c.send("NOOP");
      assertThat(c.reply()).startsWith("250");
      assertThat(server.receivedMessages()).isEmpty();
    }
  }
}
