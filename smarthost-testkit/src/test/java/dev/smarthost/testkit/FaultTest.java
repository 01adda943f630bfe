package dev.smarthost.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each fault, observed byte by byte from a raw client. */
@Timeout(30)
class FaultTest {

  private static SmarthostServer server(Encryption encryption, Fault fault) {
    SmarthostServer server = SmarthostServer.builder().encryption(encryption).start();
    server.fault(fault);
    return server;
  }

  @Test
  void noGreeting() throws Exception {
    try (SmarthostServer server = server(Encryption.NONE, Fault.NO_GREETING);
        RawClient c = new RawClient(server.port(), 500)) {
      assertThatThrownBy(c::reply).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void noGreetingAfterTheTlsHandshakeOnAnImplicitTlsPort() throws Exception {
    try (SmarthostServer server = server(Encryption.TLS, Fault.NO_GREETING);
        RawClient c = new RawClient(server.port(), 500)) {
      c.tls(server.trustStore());
      assertThat(c.sslSocket().getSession().getProtocol()).startsWith("TLS");
      assertThatThrownBy(c::reply).isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void slowGreeting() throws Exception {
    try (SmarthostServer server =
            server(Encryption.NONE, Fault.slowGreeting(Duration.ofMillis(400)));
        RawClient c = new RawClient(server.port(), 5_000)) {
      long start = System.nanoTime();
      assertThat(c.reply()).startsWith("220 ");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(350));
    }
  }

  @Test
  void dataNotReadLeavesTheClientsWritesBlocked() throws Exception {
    long total = 64L << 20;
    AtomicLong written = new AtomicLong();
    try (SmarthostServer server = server(Encryption.NONE, Fault.DATA_NOT_READ);
        RawClient c = new RawClient(server.port(), 5_000)) {
      assertThat(c.reply()).startsWith("220 ");
      assertThat(c.send("EHLO raw.test")).startsWith("250");
      assertThat(c.send("MAIL FROM:<app@example.org>")).startsWith("250");
      assertThat(c.send("RCPT TO:<admin@example.org>")).startsWith("250");
      assertThat(c.send("DATA")).startsWith("354");
      Thread writer =
          new Thread(
              () -> {
                byte[] chunk = ("x".repeat(998) + "\r\n").repeat(1024).getBytes(UTF_8);
                try {
                  while (written.get() < total) {
                    c.output().write(chunk);
                    written.addAndGet(chunk.length);
                  }
                } catch (IOException expected) {
                  // the socket was closed under the blocked write
                }
              });
      writer.start();
      Thread.sleep(2_000);
      assertThat(writer.isAlive()).as("the write is blocked").isTrue();
      assertThat(written.get()).isLessThan(total);
      c.close();
      writer.join(5_000);
      assertThat(writer.isAlive()).isFalse();
      assertThat(server.receivedMessages()).isEmpty();
    }
  }

  @Test
  void dropAfterEhlo() throws Exception {
    try (SmarthostServer server = server(Encryption.NONE, Fault.DROP_AFTER_EHLO);
        RawClient c = new RawClient(server.port(), 5_000)) {
      assertThat(c.reply()).startsWith("220 ");
      assertThat(c.send("EHLO raw.test")).startsWith("250-");
      assertThat(c.reply()).isNull();
    }
  }

  @Test
  void noStarttlsOffered() throws Exception {
    try (SmarthostServer server = server(Encryption.STARTTLS, Fault.NO_STARTTLS_OFFERED);
        RawClient c = new RawClient(server.port(), 5_000)) {
      c.reply();
      assertThat(c.send("EHLO raw.test")).doesNotContain("STARTTLS");
      assertThat(c.send("STARTTLS")).startsWith("502 ");
    }
    assertThatThrownBy(() -> server(Encryption.TLS, Fault.NO_STARTTLS_OFFERED))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void noAuthOffered() throws Exception {
    try (SmarthostServer server =
            SmarthostServer.builder().encryption(Encryption.TLS).requireAuth("app", "pw").start();
        RawClient before = new RawClient(server.port(), 5_000)) {
      before.tls(server.trustStore());
      before.reply();
      assertThat(before.send("EHLO raw.test")).contains("AUTH PLAIN LOGIN");

      server.fault(Fault.NO_AUTH_OFFERED);
      try (RawClient c = new RawClient(server.port(), 5_000)) {
        c.tls(server.trustStore());
        c.reply();
        assertThat(c.send("EHLO raw.test")).doesNotContain("AUTH");
        assertThat(c.send("AUTH PLAIN " + SmarthostServerTest.plain("app", "pw")))
            .startsWith("502 ");
      }
    }
  }

  @Test
  void expiredCertificate() throws Exception {
    assertHandshakeFails(Fault.TLS_CERT_EXPIRED, "CertificateExpiredException");
  }

  @Test
  void wrongNameCertificate() throws Exception {
    assertHandshakeFails(
        Fault.TLS_CERT_WRONG_NAME, "No subject alternative DNS name matching localhost");
  }

  @Test
  void selfSignedCertificate() throws Exception {
    assertHandshakeFails(Fault.TLS_CERT_SELF_SIGNED, "unable to find valid certification path");
  }

  private static void assertHandshakeFails(Fault fault, String cause) throws Exception {
    try (SmarthostServer server = server(Encryption.TLS, fault);
        RawClient c = new RawClient(server.port(), 5_000)) {
      assertThatThrownBy(() -> c.tls(server.trustStore()))
          .isInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining(cause);
    }
    try (SmarthostServer server = server(Encryption.STARTTLS, fault);
        RawClient c = new RawClient(server.port(), 5_000)) {
      c.reply();
      c.send("EHLO raw.test");
      assertThat(c.send("STARTTLS")).startsWith("220 ");
      assertThatThrownBy(() -> c.tls(server.trustStore()))
          .isInstanceOf(SSLHandshakeException.class)
          .hasStackTraceContaining(cause);
    }
    assertThatThrownBy(() -> server(Encryption.NONE, fault))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectAtConnect() throws Exception {
    try (SmarthostServer server =
            server(Encryption.NONE, Fault.reject(Fault.Step.CONNECT, 554, "5.3.2 No service"));
        RawClient c = new RawClient(server.port(), 5_000)) {
      assertThat(c.reply()).isEqualTo("554 5.3.2 No service");
      assertThat(c.send("EHLO raw.test")).startsWith("503 ");
      assertThat(c.send("QUIT")).startsWith("221 ");
    }
  }

  @Test
  void rejectEachCommandStep() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder().encryption(Encryption.NONE).requireAuth("app", "pw").start()) {
      server.fault(Fault.reject(Fault.Step.EHLO, 421, "4.3.2 Try later"));
      try (RawClient c = new RawClient(server.port(), 5_000)) {
        c.reply();
        assertThat(c.send("EHLO raw.test")).isEqualTo("421 4.3.2 Try later");
      }
      server.clearFaults();
      server.fault(
          Fault.reject(Fault.Step.AUTH, 454, "4.7.0 Temporary authentication failure"),
          Fault.reject(Fault.Step.MAIL, 553, "5.7.1 Sender rejected"));
      try (RawClient c = new RawClient(server.port(), 5_000)) {
        c.reply();
        c.send("EHLO raw.test");
        assertThat(c.send("AUTH PLAIN " + SmarthostServerTest.plain("app", "pw")))
            .isEqualTo("454 4.7.0 Temporary authentication failure");
      }
      server.clearFaults();
      server.fault(Fault.reject(Fault.Step.MAIL, 553, "5.7.1 Sender rejected"));
      try (RawClient c = authenticated(server)) {
        assertThat(c.send("MAIL FROM:<a@example.org>")).isEqualTo("553 5.7.1 Sender rejected");
      }
      server.clearFaults();
      server.fault(Fault.reject(Fault.Step.RCPT, 554, "5.7.1 Relay access denied"));
      try (RawClient c = authenticated(server)) {
        assertThat(c.send("MAIL FROM:<a@example.org>")).startsWith("250");
        assertThat(c.send("RCPT TO:<b@example.org>")).isEqualTo("554 5.7.1 Relay access denied");
      }
      server.clearFaults();
      server.fault(Fault.reject(Fault.Step.DATA, 552, "5.3.4 Message too big"));
      try (RawClient c = authenticated(server)) {
        assertThat(c.send("MAIL FROM:<a@example.org>")).startsWith("250");
        assertThat(c.send("RCPT TO:<b@example.org>")).startsWith("250");
        assertThat(c.send("DATA")).startsWith("354");
        assertThat(c.send("Subject: refused\r\n\r\nbody\r\n."))
            .isEqualTo("552 5.3.4 Message too big");
      }
      assertThat(server.receivedMessages()).isEmpty();
      assertThat(server.faults()).hasSize(1);
      server.clearFaults();
      try (RawClient c = authenticated(server)) {
        c.send("MAIL FROM:<a@example.org>");
        c.send("RCPT TO:<b@example.org>");
        c.send("DATA");
        assertThat(c.send("Subject: accepted\r\n\r\nbody\r\n.")).startsWith("250");
      }
      assertThat(server.awaitMessages(1, Duration.ofSeconds(5)).get(0).subject())
          .contains("accepted");
    }
  }

  private static RawClient authenticated(SmarthostServer server) throws Exception {
    RawClient c = new RawClient(server.port(), 5_000);
    c.reply();
    c.send("EHLO raw.test");
    assertThat(c.send("AUTH PLAIN " + SmarthostServerTest.plain("app", "pw"))).startsWith("235 ");
    return c;
  }

  @Test
  void stallStopsAnsweringAtTheStep() throws Exception {
    try (SmarthostServer server = server(Encryption.NONE, Fault.stall(Fault.Step.RCPT));
        RawClient c = new RawClient(server.port(), 500)) {
      c.reply();
      c.send("EHLO raw.test");
      assertThat(c.send("MAIL FROM:<a@example.org>")).startsWith("250");
      assertThatThrownBy(() -> c.send("RCPT TO:<b@example.org>"))
          .isInstanceOf(SocketTimeoutException.class);
    }
    try (SmarthostServer server = server(Encryption.NONE, Fault.stall(Fault.Step.DATA));
        RawClient c = new RawClient(server.port(), 500)) {
      c.reply();
      c.send("EHLO raw.test");
      c.send("MAIL FROM:<a@example.org>");
      c.send("RCPT TO:<b@example.org>");
      assertThat(c.send("DATA")).startsWith("354");
      assertThatThrownBy(() -> c.send("Subject: lost ack\r\n\r\nbody\r\n."))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(server.receivedMessages()).isEmpty();
    }
    assertThat(Fault.stall(Fault.Step.CONNECT)).isEqualTo(Fault.NO_GREETING);
  }

  @Test
  void stepFaultsHitAnOpenConnectionAndCountedFaultsWearOff() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        RawClient c = new RawClient(server.port(), 2_000)) {
      c.reply();
      c.send("EHLO raw.test");
      server.fault(Fault.reject(Fault.Step.MAIL, 451, "4.3.0 Try again").times(2));
      assertThat(c.send("MAIL FROM:<a@example.org>")).isEqualTo("451 4.3.0 Try again");
      assertThat(c.send("MAIL FROM:<a@example.org>")).isEqualTo("451 4.3.0 Try again");
      assertThat(server.faults()).isEmpty();
      assertThat(c.send("MAIL FROM:<a@example.org>")).startsWith("250");
    }
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      server.fault(Fault.NO_GREETING.times(1));
      try (RawClient first = new RawClient(server.port(), 300)) {
        assertThatThrownBy(first::reply).isInstanceOf(SocketTimeoutException.class);
      }
      try (RawClient second = new RawClient(server.port(), 2_000)) {
        assertThat(second.reply()).startsWith("220 ");
      }
    }
  }

  @Test
  void dropHangsUpAndStoresNothing() throws Exception {
    try (SmarthostServer server = server(Encryption.NONE, Fault.drop(Fault.Step.DATA));
        RawClient c = new RawClient(server.port(), 2_000)) {
      c.reply();
      c.send("EHLO raw.test");
      c.send("MAIL FROM:<a@example.org>");
      c.send("RCPT TO:<b@example.org>");
      assertThat(c.send("DATA")).startsWith("354");
      assertThat(c.send("Subject: lost\r\n\r\nbody\r\n.")).isNull();
      assertThat(server.receivedMessages()).isEmpty();
    }
    try (SmarthostServer server = server(Encryption.NONE, Fault.drop(Fault.Step.MAIL));
        RawClient c = new RawClient(server.port(), 2_000)) {
      c.reply();
      c.send("EHLO raw.test");
      assertThat(c.send("MAIL FROM:<a@example.org>")).isNull();
    }
    assertThatThrownBy(() -> Fault.drop(Fault.Step.CONNECT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectRecipientRefusesOnlyThatAddress() throws Exception {
    try (SmarthostServer server =
            server(
                Encryption.NONE,
                Fault.rejectRecipient("Out@External.example", 554, "5.7.1 Relay access denied"));
        RawClient c = new RawClient(server.port(), 2_000)) {
      c.reply();
      c.send("EHLO raw.test");
      c.send("MAIL FROM:<a@example.org>");
      assertThat(c.send("RCPT TO:<in@example.org>")).startsWith("250");
      assertThat(c.send("RCPT TO:<out@external.example>"))
          .isEqualTo("554 5.7.1 Relay access denied");
      assertThat(c.send("DATA")).startsWith("354");
      assertThat(c.send("Subject: partial\r\n\r\nbody\r\n.")).startsWith("250");
      assertThat(server.awaitMessages(1, Duration.ofSeconds(5)).get(0).recipients())
          .containsExactly("in@example.org");
    }
  }

  @Test
  void laterRejectForTheSameStepReplacesTheEarlierOne() {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      server.fault(
          Fault.reject(Fault.Step.RCPT, 550, "a"), Fault.reject(Fault.Step.RCPT, 551, "b"));
      server.fault(Fault.NO_GREETING, Fault.NO_GREETING);
      assertThat(server.faults())
          .containsExactly(Fault.reject(Fault.Step.RCPT, 551, "b"), Fault.NO_GREETING);
      assertThat(server.faults().get(0))
          .isInstanceOfSatisfying(Fault.Reject.class, r -> assertThat(r.code()).isEqualTo(551));
    }
  }
}
