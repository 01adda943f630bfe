package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Messages;
import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What goes on the wire is what was given, and a message the server cannot take is refused before
 * it is uploaded: non-ASCII addresses with SMTPUTF8 (RFC 6531) or not at all, the SIZE limit (RFC
 * 1870), a caller's broken address as a permanent failure. On the testkit, with and without
 * PIPELINING and CHUNKING; the same against Postfix in {@code PostfixWireTest}.
 */
@Timeout(60)
class WireCorrectnessTest {
  static final String GREEK = "δοκιμή@example.org";
  static final Duration WAIT = Duration.ofSeconds(10);

  /** A message whose headers may hold UTF-8 (RFC 6532), as an application would write it. */
  static MimeMessage message(String subject, String to) throws Exception {
    Properties p = new Properties();
    p.setProperty("mail.mime.allowutf8", "true");
    return Messages.to(Session.getInstance(p), subject, to);
  }

  static SmarthostMailer.Builder mailer(SmarthostServer server) {
    SmarthostSettings s = server.settings();
    return SmarthostMailer.builder(() -> Optional.of(s))
        .options(server.smtpOptions())
        .maxAttempts(3)
        .retryBackoff(Duration.ofMillis(20));
  }

  @ParameterizedTest(name = "pipelining and chunking offered: {0}")
  @ValueSource(booleans = {true, false})
  void aNonAsciiAddressGoesAsWrittenWithSmtputf8(boolean extensions) throws Exception {
    try (SmarthostServer server =
            SmarthostServer.builder()
                .encryption(Encryption.NONE)
                .pipelining(extensions)
                .chunking(extensions)
                .start();
        SmarthostMailer mailer = mailer(server).build()) {
      SendResult result = mailer.send(message("Grüße", GREEK));
      assertThat(result.acceptedRecipients()).containsExactly(GREEK);
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.recipients()).containsExactly(GREEK);
      assertThat(r.mailParameters()).contains("SMTPUTF8");
      assertThat(r.headers("To")).containsExactly(GREEK);
      assertThat(r.subject()).hasValue("Grüße");
    }
  }

  @Test
  void withoutSmtputf8ANonAsciiLocalPartIsRefusedBeforeAnythingIsSent() throws Exception {
    try (SmarthostServer server =
            SmarthostServer.builder().encryption(Encryption.NONE).smtputf8(false).start();
        SmarthostMailer mailer = mailer(server).build()) {
      assertThatThrownBy(() -> mailer.send(message("Grüße", GREEK)))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.SMTPUTF8_NOT_OFFERED);
                assertThat(e.kind().isTemporary()).isFalse();
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(e.failure().detail()).contains("<" + GREEK + ">");
              });
      // an IDN domain with an ASCII local part needs no SMTPUTF8: its A-label
      SendResult idn = mailer.send(message("IDN", "user@bücher.example"));
      assertThat(idn.acceptedRecipients()).containsExactly("user@bücher.example");
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.subject()).hasValue("IDN");
      assertThat(r.recipients()).containsExactly("user@xn--bcher-kva.example");
      assertThat(r.mailParameters()).doesNotContain("SMTPUTF8");
    }
  }

  @Test
  void aLineBreakInTheSenderIsTheCallersPermanentMistakeNotAProtocolError() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        SmarthostMailer mailer = mailer(server).build()) {
      MimeMessage m = message("injected", "admin@example.org");
      InternetAddress evil = new InternetAddress();
      evil.setAddress("app@example.org>\r\nRCPT TO:<victim@example.org");
      m.setFrom(evil);
      assertThatThrownBy(() -> mailer.send(m))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> {
                assertThat(e.kind())
                    .as(e.failure().detail())
                    .isEqualTo(FailureKind.SENDER_REJECTED);
                assertThat(e.attempts()).isEqualTo(1);
              });
      assertThat(server.receivedMessages()).isEmpty();
    }
  }

  @Test
  void aMessageOverTheAdvertisedSizeIsRefusedWithoutUploadAndSizeIsDeclared() throws Exception {
    try (SmarthostServer server =
            SmarthostServer.builder().encryption(Encryption.NONE).maxMessageSize(100_000).start();
        CountingProxy proxy = CountingProxy.inFrontOf(server.port());
        SmarthostMailer mailer =
            SmarthostMailer.builder(() -> Optional.of(proxy.settings(server.settings())))
                .options(server.smtpOptions())
                .maxAttempts(3)
                .build()) {
      MimeMessage big = withAttachment(message("too big", "admin@example.org"), 200_000);
      long start = System.nanoTime();
      assertThatThrownBy(() -> mailer.send(big))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.MESSAGE_TOO_LARGE);
                assertThat(e.attempts()).as("never retried").isEqualTo(1);
                assertThat(e.failure().detail()).contains("more than the 100000");
              });
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
      assertThat(proxy.clientBytes()).as("nothing of it was uploaded").isLessThan(2_000);

      MimeMessage fits = message("fits", "admin@example.org");
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      fits.writeTo(wire, new String[] {"Bcc", "Content-Length"});
      mailer.send(fits);
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.mailParameters()).anySatisfy(p -> assertThat(p).startsWith("SIZE="));
      long declared =
          Long.parseLong(
              r.mailParameters().stream()
                  .filter(p -> p.startsWith("SIZE="))
                  .findFirst()
                  .orElseThrow()
                  .substring(5));
      assertThat(declared).isBetween((long) wire.size(), wire.size() + 200L);
    }
  }

  @Test
  void aServerThatRefusesAChunkAndHangsUpIsReadNotCalledBroken() throws Exception {
    try (ChunkRefusingServer fake = ChunkRefusingServer.start();
        SmarthostMailer mailer =
            SmarthostMailer.builder(
                    () ->
                        Optional.of(
                            SmarthostSettings.builder()
                                .host("127.0.0.1")
                                .port(fake.port())
                                .encryption(Encryption.NONE)
                                .build()))
                .maxAttempts(3)
                .build()) {
      MimeMessage big = withAttachment(message("huge", "admin@example.org"), 4_000_000);
      assertThatThrownBy(() -> mailer.send(big))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.MESSAGE_TOO_LARGE);
                assertThat(e.reply()).hasValueSatisfying(r -> assertThat(r).startsWith("552"));
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(e.hint()).doesNotContain("pipelining");
              });
      assertThat(fake.connections()).isEqualTo(1);
    }
  }

  @Test
  void beyondTheServersConnectionLimitSendsWaitForAnOpenConnection() throws Exception {
    try (SmarthostServer server =
            SmarthostServer.builder().encryption(Encryption.NONE).maxConnections(2).start();
        SmarthostMailer mailer = mailer(server).maxConnections(4).maxAttempts(1).build()) {
      List<java.util.concurrent.CompletableFuture<SendResult>> sent = new java.util.ArrayList<>();
      for (int i = 0; i < 100; i++) {
        sent.add(mailer.sendAsync(message("capped " + i, "admin@example.org")));
      }
      for (var f : sent) {
        f.get(30, java.util.concurrent.TimeUnit.SECONDS); // none fails
      }
      assertThat(server.awaitMessages(100, WAIT)).hasSize(100);
    }
  }

  @Test
  void a421OnAReusedConnectionReconnectsWithoutCountingAFailedAttempt() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        SmarthostMailer mailer = mailer(server).maxAttempts(1).build()) {
      mailer.send(message("first", "admin@example.org"));
      server.fault(
          Fault.reject(Fault.Step.MAIL, 421, "4.7.0 Too many messages on this connection")
              .times(1));
      SendResult second = mailer.send(message("second", "admin@example.org"));
      assertThat(second.attempts()).isEqualTo(1);
      assertThat(server.awaitMessages(2, WAIT))
          .extracting(r -> r.subject().orElseThrow())
          .containsExactly("first", "second");
    }
  }

  @Test
  void aSilentServerIsNoGreetingAndAnImplicitTlsPortIsSaidSoInsideTheDeadline() throws Exception {
    SmtpOptions fast = SmtpOptions.builder().readTimeout(Duration.ofSeconds(1)).build();
    try (SmarthostServer silent = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      silent.fault(Fault.NO_GREETING);
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(silent.settings()))
              .options(fast)
              .sendTimeout(Duration.ofMillis(2_500))
              .retryBackoff(Duration.ofMillis(10))
              .build()) {
        assertThatThrownBy(() -> mailer.send(message("x", "admin@example.org")))
            .isInstanceOfSatisfying(
                SmarthostSendException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.NO_GREETING));
      }
    }
    try (SmarthostServer tls = SmarthostServer.builder().encryption(Encryption.TLS).start()) {
      SmarthostSettings starttls =
          tls.settings().toBuilder().encryption(Encryption.STARTTLS).port(tls.port()).build();
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(starttls))
              .options(tls.smtpOptions().toBuilder().readTimeout(Duration.ofSeconds(1)).build())
              .build()) {
        long start = System.nanoTime();
        assertThatThrownBy(() -> mailer.send(message("x", "admin@example.org")))
            .isInstanceOfSatisfying(
                SmarthostSendException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(FailureKind.SERVER_EXPECTS_TLS);
                  assertThat(e.attempts()).isEqualTo(1);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      }
    }
  }

  @Test
  void aPasswordLoginPrefersPlainAndTheOptionsChooseOtherwise() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder().requireAuth("app", "pässwörd").start()) {
      SmarthostSettings s = server.settings();
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(s)).options(server.smtpOptions()).build()) {
        mailer.send(message("plain", "admin@example.org"));
      }
      SmtpOptions login = server.smtpOptions().toBuilder().authMechanisms(List.of("login")).build();
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(s)).options(login).build()) {
        mailer.send(message("login", "admin@example.org"));
      }
      assertThat(server.awaitMessages(2, WAIT))
          .extracting(r -> r.subject().orElseThrow() + " " + r.authMechanism().orElseThrow())
          .containsExactly("plain PLAIN", "login LOGIN");
      assertThatThrownBy(() -> SmtpOptions.builder().authMechanisms(List.of("XOAUTH2")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("authMechanisms");
    }
  }

  static MimeMessage withAttachment(MimeMessage m, int bytes) throws Exception {
    MimeBodyPart text = new MimeBodyPart();
    text.setText("see the attachment", "UTF-8");
    MimeBodyPart file = new MimeBodyPart();
    byte[] data = new byte[bytes];
    Arrays.fill(data, (byte) 'x');
    file.setContent(data, "application/octet-stream");
    file.setFileName("data.bin");
    m.setContent(new MimeMultipart(text, file));
    m.saveChanges();
    return m;
  }
}
