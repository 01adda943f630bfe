package dev.smarthost.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.session.ValidationPhase;
import dev.smarthost.interop.Postfix.Service;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each scenario: the validator's verdict, the mailer's delivery (Postfix' log and hold queue), and
 * TLS.
 */
@Timeout(120)
@Tag("system-servers")
class PostfixInteropTest {
  static final String USER = "app";
  static final String PASSWORD = "s3cret-Pässwörd-密码";
  static final TestMessage TEST = TestMessage.of("app@example.org", "admin@example.org");
  static final AtomicInteger COUNTER = new AtomicInteger();
  static Postfix postfix;
  static SmtpOptions options;

  @BeforeAll
  static void start() throws Exception {
    postfix = Postfix.start(USER, PASSWORD);
    options = postfix.options();
  }

  @AfterAll
  static void stop() throws Exception {
    postfix.close();
  }

  static SmarthostSettings.Builder settings(Service service, Encryption encryption) {
    return SmarthostSettings.builder()
        .host("localhost")
        .port(postfix.port(service))
        .encryption(encryption);
  }

  static ValidationResult validate(SmarthostSettings s) {
    return SmtpConnectionValidator.create(options)
        .withDeadline(Duration.ofSeconds(20))
        .validate(s, TEST);
  }

  static MimeMessage message(String subject, String to) throws Exception {
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
    m.setFrom(new InternetAddress("app@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject(subject);
    m.setText("sent by the interop suite");
    return m;
  }

  static SendResult send(SmarthostSettings s, String subject) throws Exception {
    try (SmarthostMailer mailer =
        SmarthostMailer.builder(() -> Optional.of(s)).options(options).build()) {
      return mailer.send(message(subject, "admin@example.org"));
    }
  }

  static String subject(String scenario) {
    return scenario + "-" + COUNTER.incrementAndGet();
  }

  @Test
  void plainRelay() throws Exception {
    SmarthostSettings s = settings(Service.RELAY, Encryption.NONE).build();
    ValidationResult r = validate(s);
    assertThat(r.ok()).as("%s", r).isTrue();
    assertThat(r.greeting()).hasValueSatisfying(g -> assertThat(g).contains("ESMTP Postfix"));
    String subject = subject("relay");
    send(s, subject);
    assertThat(postfix.held()).contains(subject + " from=<app@example.org> to=<admin@example.org>");
  }

  @Test
  void starttlsRequiredWithAuthAndAUtf8Password() throws Exception {
    SmarthostSettings s =
        settings(Service.SUBMISSION, Encryption.STARTTLS).credentials(USER, PASSWORD).build();
    ValidationResult r = validate(s);
    assertThat(r.ok()).as("%s", r).isTrue();
    assertThat(r.tls()).hasValueSatisfying(t -> assertThat(t.protocol()).startsWith("TLSv1."));
    assertThat(r.authMechanisms()).contains("PLAIN", "LOGIN");
    // the phases in the order of the conversation with a real Postfix
    assertThat(r.phaseNames())
        .containsExactly(
            ValidationPhase.RESOLVE,
            ValidationPhase.CONNECT,
            ValidationPhase.GREETING,
            ValidationPhase.EHLO,
            ValidationPhase.STARTTLS,
            ValidationPhase.EHLO,
            ValidationPhase.AUTH,
            ValidationPhase.MAIL,
            ValidationPhase.RCPT,
            ValidationPhase.DATA);
    String subject = subject("submission");
    send(s, subject);
    String session = postfix.session(subject);
    assertThat(session)
        .contains("TLS connection established")
        .contains("sasl_method=PLAIN, sasl_username=" + USER); // PLAIN preferred (Angus: LOGIN)
    // STARTTLS before anything else: the TLS line comes before the SASL line.
    assertThat(session.indexOf("TLS connection established"))
        .isLessThan(session.indexOf("sasl_method="));
  }

  @Test
  void authPlainWithAUtf8Password() throws Exception {
    SmarthostSettings s =
        settings(Service.SUBMISSION, Encryption.STARTTLS).credentials(USER, PASSWORD).build();
    Session session = new SmarthostSessionFactory(options).session(s);
    session.getProperties().setProperty("mail.smtp.auth.mechanisms", "PLAIN");
    String subject = subject("plain");
    MimeMessage m = message(subject, "admin@example.org");
    Transport.send(new MimeMessage(session, toStream(m)));
    assertThat(postfix.session(subject))
        .contains("TLS connection established")
        .contains("sasl_method=PLAIN, sasl_username=" + USER);
  }

  private static java.io.InputStream toStream(MimeMessage m) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    m.writeTo(out);
    return new java.io.ByteArrayInputStream(out.toByteArray());
  }

  @Test
  void implicitTls() throws Exception {
    SmarthostSettings s =
        settings(Service.SMTPS, Encryption.TLS).credentials(USER, PASSWORD).build();
    ValidationResult r = validate(s);
    assertThat(r.ok()).as("%s", r).isTrue();
    assertThat(r.tls()).isPresent();
    String subject = subject("smtps");
    send(s, subject);
    assertThat(postfix.session(subject))
        .contains("TLS connection established")
        .contains("sasl_username=" + USER);
  }

  @Test
  void certificatesThatMustNotBeTrusted() throws Exception {
    for (Object[] c :
        new Object[][] {
          {Service.WRONG_NAME, FailureKind.CERTIFICATE_NAME_MISMATCH},
          {Service.SELF_SIGNED, FailureKind.CERTIFICATE_UNTRUSTED},
          {Service.EXPIRED, FailureKind.CERTIFICATE_EXPIRED}
        }) {
      SmarthostSettings s =
          settings((Service) c[0], Encryption.TLS).credentials(USER, PASSWORD).build();
      ValidationResult r = validate(s);
      assertThat(r.failure())
          .as("%s", c[0])
          .hasValueSatisfying(f -> assertThat(f.kind()).isEqualTo(c[1]));
      String subject = subject("bad-cert");
      assertThatThrownBy(() -> send(s, subject))
          .isInstanceOfSatisfying(
              SmarthostSendException.class, e -> assertThat(e.kind()).isEqualTo(c[1]));
      assertThat(postfix.held()).noneMatch(h -> h.startsWith(subject + " "));
      assertThat(postfix.log()).doesNotContain("sasl_username=" + USER + "\n" + subject);
    }
  }

  @Test
  void authIsOfferedOnlyAfterStarttls() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", postfix.port(Service.SUBMISSION))) {
      socket.setSoTimeout(5_000);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = socket.getOutputStream();
      assertThat(in.readLine()).startsWith("220");
      out.write("EHLO interop.test\r\n".getBytes(StandardCharsets.US_ASCII));
      StringBuilder ehlo = new StringBuilder();
      String line;
      do {
        line = in.readLine();
        ehlo.append(line).append('\n');
      } while (line.charAt(3) == '-');
      assertThat(ehlo.toString()).contains("STARTTLS").doesNotContain("AUTH");
    }
    // Credentials without STARTTLS on that port: the server offers no AUTH, so the library refuses.
    SmarthostSettings clear =
        settings(Service.SUBMISSION, Encryption.NONE).credentials(USER, PASSWORD).build();
    assertThat(validate(clear).failure())
        .hasValueSatisfying(f -> assertThat(f.kind()).isEqualTo(FailureKind.AUTH_NOT_OFFERED));
    assertThat(postfix.log()).doesNotContain("sasl_username=" + USER + " " + "clear");
  }

  @Test
  void relayDeniedWithoutAuthPassesTheCheckButNotTheTestMessage() throws Exception {
    SmarthostSettings s = settings(Service.RELAY_DENIED, Encryption.NONE).build();
    ValidationResult connectOnly = SmtpConnectionValidator.create(options).validate(s);
    assertThat(connectOnly.ok()).as("%s", connectOnly).isTrue();
    ValidationResult withMessage =
        SmtpConnectionValidator.create(options)
            .validate(s, TestMessage.of("app@example.org", "admin@elsewhere.example"));
    assertThat(withMessage.failure())
        .hasValueSatisfying(
            f -> {
              assertThat(f.kind()).isEqualTo(FailureKind.RECIPIENT_REJECTED);
              assertThat(f.replyCode()).hasValue(554);
              assertThat(f.reply())
                  .hasValueSatisfying(reply -> assertThat(reply).contains("Relay access denied"));
            });
    try (SmarthostMailer mailer =
        SmarthostMailer.builder(() -> Optional.of(s)).options(options).build()) {
      assertThatThrownBy(() -> mailer.send(message("denied", "admin@elsewhere.example")))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.RECIPIENT_REJECTED);
                assertThat(e.rejectedRecipients()).containsExactly("admin@elsewhere.example");
              });
    }
  }
}
