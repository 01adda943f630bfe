package dev.smarthost.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What real servers have, so that applications can test against it: the message exactly as received
 * (RFC 5321 4.1.1.4), SMTPUTF8, an advertised SIZE with 552 answers, a connection limit. Spoken
 * byte by byte, as swaks, Python's smtplib and Nodemailer speak it.
 */
@Timeout(30)
class WireLimitsTest {
  private static SmarthostServer.Builder plain() {
    return SmarthostServer.builder().encryption(Encryption.NONE);
  }

  @Test
  void storesExactlyWhatDataCarriedWithTheLastLinesCrlf() throws Exception {
    try (SmarthostServer server = plain().start();
        RawClient c = new RawClient(server.port(), 5_000)) {
      assertThat(c.reply()).startsWith("220");
      assertThat(c.send("EHLO client.test")).contains("SMTPUTF8").contains("SIZE 33554432");
      assertThat(c.send("MAIL FROM:<app@example.org>")).startsWith("250");
      assertThat(c.send("RCPT TO:<a@example.org>")).startsWith("250");
      assertThat(c.send("DATA")).startsWith("354");
      c.output()
          .write(
              "Subject: exact\r\n\r\nfirst line\r\n..dot line\r\nlast line\r\n.\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      assertThat(c.reply()).startsWith("250");
      ByteArrayOutputStream stored = new ByteArrayOutputStream();
      server.awaitMessages(1, Duration.ofSeconds(5)).get(0).mimeMessage().writeTo(stored);
      assertThat(stored.toString(StandardCharsets.US_ASCII))
          .endsWith("\r\n\r\nfirst line\r\n.dot line\r\nlast line\r\n");
    }
  }

  @Test
  void aNonAsciiAddressNeedsTheSmtputf8ParameterAndAServerThatOffersIt() throws Exception {
    try (SmarthostServer server = plain().start();
        RawClient c = new RawClient(server.port(), 5_000)) {
      c.reply();
      c.send("EHLO client.test");
      assertThat(c.send("MAIL FROM:<δοκιμή@example.org>")).startsWith("553 5.6.7");
      assertThat(c.send("MAIL FROM:<app@example.org>")).startsWith("250");
      assertThat(c.send("RCPT TO:<δοκιμή@example.org>")).startsWith("553 5.6.7");
      c.send("RSET");
      assertThat(c.send("MAIL FROM:<app@example.org> SMTPUTF8")).startsWith("250");
      assertThat(c.send("RCPT TO:<δοκιμή@example.org>")).startsWith("250");
      c.send("DATA");
      c.output().write("Subject: utf8\r\n\r\nx\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(c.reply()).startsWith("250");
      ReceivedMessage r = server.awaitMessages(1, Duration.ofSeconds(5)).get(0);
      assertThat(r.recipients()).containsExactly("δοκιμή@example.org");
      assertThat(r.mailParameters()).containsExactly("SMTPUTF8");
    }
    try (SmarthostServer server = plain().smtputf8(false).start();
        RawClient c = new RawClient(server.port(), 5_000)) {
      c.reply();
      assertThat(c.send("EHLO client.test")).doesNotContain("SMTPUTF8");
      assertThat(c.send("MAIL FROM:<app@example.org> SMTPUTF8")).startsWith("250");
      assertThat(c.send("RCPT TO:<δοκιμή@example.org>")).startsWith("553 5.6.7");
    }
  }

  @Test
  void theAdvertisedSizeIsEnforcedAtMailAfterDataAndInTheMiddleOfBdat() throws Exception {
    try (SmarthostServer server = plain().maxMessageSize(1_000).start()) {
      try (RawClient c = new RawClient(server.port(), 5_000)) {
        c.reply();
        assertThat(c.send("EHLO client.test")).contains("SIZE 1000");
        assertThat(c.send("MAIL FROM:<app@example.org> SIZE=1001")).startsWith("552 5.3.4");
        assertThat(c.send("MAIL FROM:<app@example.org> SIZE=900")).startsWith("250");
        c.send("RCPT TO:<a@example.org>");
        c.send("DATA");
        c.output().write(("Subject: big\r\n\r\n" + "x".repeat(2_000) + "\r\n.\r\n").getBytes());
        assertThat(c.reply()).startsWith("552 5.3.4");
      }
      try (RawClient c = new RawClient(server.port(), 5_000)) {
        c.reply();
        c.send("EHLO client.test");
        c.send("MAIL FROM:<app@example.org>");
        c.send("RCPT TO:<a@example.org>");
        assertThat(c.send("BDAT 600\r\n" + "x".repeat(598))).startsWith("250");
        c.output().write(("BDAT 600\r\n" + "y".repeat(600)).getBytes(StandardCharsets.US_ASCII));
        c.output().flush();
        assertThat(c.reply()).startsWith("552 5.3.4");
        assertThat(c.reply()).as("then the connection is closed, as Exim does").isNull();
      }
      assertThat(server.receivedMessages()).isEmpty();
    }
  }

  @Test
  void oneConnectionBeyondTheLimitIsAnswered421AtConnect() throws Exception {
    try (SmarthostServer server = plain().maxConnections(2).start();
        RawClient one = new RawClient(server.port(), 5_000);
        RawClient two = new RawClient(server.port(), 5_000)) {
      assertThat(one.reply()).startsWith("220");
      assertThat(two.reply()).startsWith("220");
      try (RawClient three = new RawClient(server.port(), 5_000)) {
        assertThat(three.reply()).startsWith("421 4.7.0").contains("too many connections");
        assertThat(three.reply()).isNull();
      }
      one.send("QUIT");
      one.close();
      long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      String greeting = null;
      while (System.nanoTime() < end) {
        try (RawClient again = new RawClient(server.port(), 5_000)) {
          greeting = again.reply();
          if (greeting != null && greeting.startsWith("220")) {
            break;
          }
        }
        Thread.sleep(20);
      }
      assertThat(greeting).as("a free place is served again").startsWith("220");
    }
  }
}
