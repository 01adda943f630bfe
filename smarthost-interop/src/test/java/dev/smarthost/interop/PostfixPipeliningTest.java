package dev.smarthost.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.internal.SmarthostTransport;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.interop.Postfix.Service;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 22 against the real Postfix: the transaction goes pipelined with BDAT where Postfix offers
 * PIPELINING and CHUNKING (its default), command by command where it does not, and the outcomes are
 * Postfix' own. Postfix logs every client command it counted at disconnect ({@code bdat=1}, {@code
 * rcpt=2/3}), and "improper command pipelining" for a client that pipelines unasked.
 */
@Timeout(120)
@Tag("system-servers")
class PostfixPipeliningTest {
  private static final String USER = "app";
  private static final String PASSWORD = "pipelining-Pässwörd";
  private static Postfix postfix;
  private static SmtpOptions options;

  @BeforeAll
  static void start() throws Exception {
    postfix = Postfix.start(USER, PASSWORD);
    options = postfix.options();
  }

  @AfterAll
  static void stop() throws Exception {
    postfix.close();
  }

  private static SmarthostSettings settings(Service service, Encryption encryption) {
    SmarthostSettings.Builder b =
        SmarthostSettings.builder()
            .host("localhost")
            .port(postfix.port(service))
            .encryption(encryption);
    return service == Service.SUBMISSION ? b.credentials(USER, PASSWORD).build() : b.build();
  }

  private static MimeMessage message(String subject, String... to) throws Exception {
    MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
    m.setFrom(new InternetAddress("app@example.org"));
    for (String address : to) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(address));
    }
    m.setSubject(subject);
    m.setText("sent by the interop suite\n.a line with a leading dot\n");
    return m;
  }

  /** Sends through a transport of ours and returns it (closed) for its trace. */
  private static SmarthostTransport send(SmarthostSettings s, MimeMessage m) throws Exception {
    Session session = new SmarthostSessionFactory(options).session(s);
    SmarthostTransport t = (SmarthostTransport) session.getTransport("smtp");
    t.connect();
    try {
      t.sendMessage(m, m.getAllRecipients());
    } finally {
      t.close();
    }
    return t;
  }

  @Test
  void submissionWithStarttlsAndAuthIsOneRoundTripWithBdat() throws Exception {
    String subject = "pipelined-" + System.nanoTime();
    SmarthostTransport t =
        send(
            settings(Service.SUBMISSION, Encryption.STARTTLS),
            message(subject, "admin@example.org"));
    assertThat(t.trace().lastPipelined()).isTrue();
    assertThat(t.trace().lastChunked()).isTrue();
    assertThat(t.trace().lastRoundTrips()).isEqualTo(1);
    String session = postfix.finishedSession(subject, Duration.ofSeconds(10));
    assertThat(session)
        .contains("sasl_username=" + USER)
        .containsPattern("disconnect from .* mail=1 rcpt=1 bdat=1 quit=1")
        .doesNotContain("improper command pipelining")
        .doesNotContain(" data=");
  }

  @Test
  void theMailerSendsPipelinedAndReportsPostfixRefusingOneOfThreeRecipients() throws Exception {
    String subject = "mixed-" + System.nanoTime();
    SmarthostSettings s = settings(Service.RELAY_DENIED, Encryption.NONE);
    try (SmarthostMailer mailer =
        SmarthostMailer.builder(() -> Optional.of(s)).options(options).build()) {
      SendResult result =
          mailer.send(
              message(subject, "a@example.org", "someone@elsewhere.example", "b@example.org"));
      assertThat(result.acceptedRecipients()).containsExactly("a@example.org", "b@example.org");
      assertThat(result.rejectedRecipients())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.address()).isEqualTo("someone@elsewhere.example");
                assertThat(r.kind()).isEqualTo(FailureKind.RECIPIENT_REJECTED);
                assertThat(r.replyCode()).hasValue(554);
                assertThat(r.reply())
                    .hasValueSatisfying(x -> assertThat(x).contains("Relay access denied"));
              });
    }
    assertThat(postfix.finishedSession(subject, Duration.ofSeconds(10)))
        .containsPattern("disconnect from .* mail=1 rcpt=2/3 bdat=1")
        .doesNotContain("improper command pipelining");
  }

  @Test
  void aPostfixWithoutPipeliningAndChunkingGetsTheLockstepConversation() throws Exception {
    String subject = "lockstep-" + System.nanoTime();
    SmarthostTransport t =
        send(settings(Service.LOCKSTEP, Encryption.NONE), message(subject, "admin@example.org"));
    assertThat(t.trace().lastPipelined()).isFalse();
    assertThat(t.trace().lastChunked()).isFalse();
    assertThat(postfix.finishedSession(subject, Duration.ofSeconds(10)))
        .containsPattern("disconnect from .* mail=1 rcpt=1 data=1 quit=1")
        .doesNotContain("improper command pipelining")
        .doesNotContain("bdat=");
  }
}
