package dev.smarthost.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.interop.Postfix.Service;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 30 against the real Postfix, configured as the testkit is in {@code WireCorrectnessTest}:
 * {@code message_size_limit}, {@code smtputf8_enable} on and off, {@code
 * smtpd_client_connection_count_limit}. What Postfix held (its log) is what arrived.
 */
@Timeout(180)
@Tag("system-servers")
class PostfixWireTest {
  private static final String GREEK = "δοκιμή@example.org";
  private static Postfix postfix;

  @BeforeAll
  static void start() throws Exception {
    postfix = Postfix.start("app", "wire-Pässwörd");
  }

  @AfterAll
  static void stop() throws Exception {
    postfix.close();
  }

  private static SmarthostMailer mailer(Service service, int connections) {
    SmarthostSettings s =
        SmarthostSettings.builder()
            .host("localhost")
            .port(postfix.port(service))
            .encryption(Encryption.NONE)
            .build();
    return SmarthostMailer.builder(() -> Optional.of(s))
        .options(postfix.options())
        .maxConnections(connections)
        .maxAttempts(1)
        .build();
  }

  private static MimeMessage message(String subject, String to) throws Exception {
    Properties p = new Properties();
    p.setProperty("mail.mime.allowutf8", "true");
    MimeMessage m = new MimeMessage(Session.getInstance(p));
    m.setFrom(new InternetAddress("app@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject(subject);
    m.setText("sent by the interop suite\n");
    return m;
  }

  private static void awaitHeld(String expected) throws Exception {
    long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!postfix.held().contains(expected) && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    assertThat(postfix.held()).contains(expected);
  }

  @Test
  void aNonAsciiAddressArrivesAsWrittenWithSmtputf8AndIsRefusedWithout() throws Exception {
    try (SmarthostMailer utf8 = mailer(Service.UTF8, 1)) {
      SendResult r = utf8.send(message("utf8 on", GREEK));
      assertThat(r.acceptedRecipients()).containsExactly(GREEK);
    }
    awaitHeld("utf8 on from=<app@example.org> to=<" + GREEK + ">");
    try (SmarthostMailer plain = mailer(Service.RELAY, 1)) {
      assertThatThrownBy(() -> plain.send(message("utf8 off", GREEK)))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> assertThat(e.kind()).isEqualTo(FailureKind.SMTPUTF8_NOT_OFFERED));
      plain.send(message("idn", "user@bücher.example.org"));
    }
    awaitHeld("idn from=<app@example.org> to=<user@xn--bcher-kva.example.org>");
    assertThat(postfix.held()).noneMatch(h -> h.startsWith("utf8 off"));
  }

  @Test
  void overTheSizeLimitIsRefusedBeforeTheUploadAndUnderItDeclaresItsSize() throws Exception {
    try (SmarthostMailer sized = mailer(Service.SIZED, 1)) {
      MimeMessage big = message("too big", "admin@example.org");
      MimeBodyPart file = new MimeBodyPart();
      byte[] data = new byte[200_000];
      Arrays.fill(data, (byte) 'x');
      file.setContent(data, "application/octet-stream");
      big.setContent(new MimeMultipart(file));
      assertThatThrownBy(() -> sized.send(big))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.MESSAGE_TOO_LARGE);
                assertThat(e.failure().detail()).contains("more than the 100000");
              });
      sized.send(message("fits", "admin@example.org"));
    }
    awaitHeld("fits from=<app@example.org> to=<admin@example.org>");
    assertThat(postfix.held()).noneMatch(h -> h.startsWith("too big"));
    // Postfix logs the declared size it was told in MAIL FROM with the queue file's size
    assertThat(postfix.log()).doesNotContain("message size exceeds");
  }

  @Test
  void beyondPostfixsConnectionLimitTheSendsWaitAndNoneFails() throws Exception {
    List<CompletableFuture<SendResult>> sent = new ArrayList<>();
    try (SmarthostMailer capped = mailer(Service.CAPPED, 4)) {
      for (int i = 0; i < 40; i++) {
        sent.add(capped.sendAsync(message("capped " + i, "admin@example.org")));
      }
      for (CompletableFuture<SendResult> f : sent) {
        f.get(60, TimeUnit.SECONDS);
      }
    }
    for (int i = 0; i < 40; i++) {
      awaitHeld("capped " + i + " from=<app@example.org> to=<admin@example.org>");
    }
    assertThat(postfix.log())
        .as("Postfix did refuse connections beyond its limit")
        .contains("Connection concurrency limit exceeded: 3 from localhost[127.0.0.1]");
  }
}
