package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.internal.ProviderReplies;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Fault.Step;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each provider reply in {@code provider-replies.tsv}, replayed word for word by the testkit at the
 * step where the provider sends it, classified by the validator: kind, provider and the provider's
 * fix. Every row of the table must be hit by one of these replays.
 */
@Timeout(60)
class ProviderRepliesTest {
  private static final String PASSWORD = "s3cret-Pässwörd";
  private static final TestMessage MESSAGE = TestMessage.of("app@example.org", "admin@example.org");

  /** One replay: where the provider answers, what, and what the administrator must read. */
  record Replay(
      String provider,
      Step step,
      int code,
      String text,
      FailureKind kind,
      String hintSays,
      Encryption encryption) {
    Replay(String provider, Step step, int code, String text, FailureKind kind, String hintSays) {
      this(provider, step, code, text, kind, hintSays, Encryption.STARTTLS);
    }

    @Override
    public String toString() {
      return provider + " " + code + " " + text.lines().findFirst().orElse("");
    }
  }

  static Stream<Replay> replays() {
    return Stream.of(
        new Replay(
            "Microsoft 365",
            Step.AUTH,
            535,
            "5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the"
                + " Tenant. Visit https://aka.ms/smtp_auth_disabled for more information."
                + " [BN0PR04CA0001.namprd04.prod.outlook.com 2026-12-02T10:00:00.000Z]",
            FailureKind.AUTHENTICATION_FAILED,
            "enable \"Authenticated SMTP\""),
        new Replay(
            "Microsoft 365",
            Step.AUTH,
            535,
            "5.7.139 Authentication unsuccessful, user is locked by your organization's security"
                + " defaults policy. Contact your administrator."
                + " [BN0PR04CA0001.namprd04.prod.outlook.com]",
            FailureKind.AUTHENTICATION_FAILED,
            "security defaults"),
        new Replay(
            "Microsoft 365",
            Step.AUTH,
            535,
            "5.7.139 Authentication unsuccessful, the user credentials were incorrect."
                + " [BN0PR04CA0001.namprd04.prod.outlook.com]",
            FailureKind.AUTHENTICATION_FAILED,
            "OAuth 2.0 is the way"),
        new Replay(
            "Microsoft 365",
            Step.AUTH,
            550,
            "5.7.30 Basic authentication is not supported for Client Submission.",
            FailureKind.AUTHENTICATION_FAILED,
            "OAuth 2.0 (client credentials, XOAUTH2)"),
        new Replay(
            "Microsoft 365",
            Step.MAIL,
            550,
            "5.7.60 SMTP; Client does not have permissions to send as this sender"
                + " [DM6PR01MB0001.prod.outlook.com]",
            FailureKind.SENDER_REJECTED,
            "\"Send As\""),
        new Replay(
            "Microsoft 365",
            Step.DATA,
            554,
            "5.2.252 SendAsDenied; app@example.org not allowed to send as other@example.org;"
                + " STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied",
            FailureKind.SENDER_REJECTED,
            "SendAsDenied"),
        new Replay(
            "Microsoft 365",
            Step.MAIL,
            530,
            "5.7.57 Client not authenticated to send mail."
                + " [DM6PR01MB0001.namprd01.prod.outlook.com 2026-12-02T10:00:00.000Z]",
            FailureKind.AUTHENTICATION_REQUIRED,
            "connector for this server's IP address"),
        new Replay(
            "Microsoft Exchange",
            Step.MAIL,
            530,
            "5.7.57 SMTP; Client was not authenticated to send anonymous mail during MAIL FROM"
                + " [EX01.contoso.local]",
            FailureKind.AUTHENTICATION_REQUIRED,
            "anonymous relay connector"),
        new Replay(
            "Google",
            Step.AUTH,
            534,
            "5.7.9 Application-specific password required. Learn more at\n"
                + "5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor"
                + " d75a77b69052e-4a5f3b1c2d3sm123456qtb.1 - gsmtp",
            FailureKind.AUTHENTICATION_FAILED,
            "create an app password"),
        new Replay(
            "Google",
            Step.AUTH,
            535,
            "5.7.8 Username and Password not accepted. For more information, go to\n"
                + "5.7.8  https://support.google.com/mail/?p=BadCredentials"
                + " 6a1803df08f44-6fb0a1b2c3dsm1234567d6.1 - gsmtp",
            FailureKind.AUTHENTICATION_FAILED,
            "app password"),
        new Replay(
            "Google",
            Step.MAIL,
            530,
            "5.7.0 Must issue a STARTTLS command first."
                + " 6a1803df08f44-6fb0a1b2c3dsm1234567d6.1 - gsmtp",
            FailureKind.ENCRYPTION_REQUIRED,
            "STARTTLS on port 587",
            Encryption.NONE),
        new Replay(
            "Google",
            Step.MAIL,
            530,
            "5.7.0 Authentication Required. For more information, go to\n"
                + "5.7.0  https://support.google.com/mail/?p=WantAuthError"
                + " d75a77b69052e-4a5f3b1c2d3sm123456qtb.1 - gsmtp",
            FailureKind.AUTHENTICATION_REQUIRED,
            "app password"),
        new Replay(
            "",
            Step.MAIL,
            530,
            "5.7.0 Must issue a STARTTLS command first",
            FailureKind.ENCRYPTION_REQUIRED,
            "choose encryption STARTTLS",
            Encryption.NONE),
        new Replay(
            "Amazon SES",
            Step.DATA,
            554,
            "Message rejected: Email address is not verified. The following identities failed the"
                + " check in region EU-WEST-1: app@example.org",
            FailureKind.MESSAGE_REJECTED,
            "verify the sender identity"),
        new Replay(
            "Amazon SES",
            Step.MAIL,
            454,
            "Throttling failure: Maximum sending rate exceeded.",
            FailureKind.SERVER_UNAVAILABLE,
            "sending quota"),
        new Replay(
            "Amazon SES",
            Step.AUTH,
            535,
            "Authentication Credentials Invalid",
            FailureKind.AUTHENTICATION_FAILED,
            "not the IAM access key"),
        new Replay(
            "SendGrid",
            Step.MAIL,
            550,
            "Unauthenticated senders not allowed",
            FailureKind.AUTHENTICATION_REQUIRED,
            "username \"apikey\""),
        new Replay(
            "SendGrid",
            Step.AUTH,
            451,
            "Authentication failed: Maximum credits exceeded",
            FailureKind.SERVER_UNAVAILABLE,
            "credits are used up"),
        new Replay(
            "SendGrid",
            Step.AUTH,
            535,
            "Authentication failed: Bad username / password",
            FailureKind.AUTHENTICATION_FAILED,
            "literally \"apikey\""),
        new Replay(
            "Mailgun",
            Step.RCPT,
            550,
            "Domain sandbox0123.mailgun.org is not allowed to send: Free accounts are for test"
                + " purposes only. Please upgrade or add the address to authorized recipients in"
                + " Account Settings.",
            FailureKind.RECIPIENT_REJECTED,
            "authorized recipients"),
        new Replay(
            "Postfix",
            Step.RCPT,
            554,
            "5.7.1 <admin@example.org>: Relay access denied",
            FailureKind.RECIPIENT_REJECTED,
            "mynetworks"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("replays")
  void theValidatorNamesTheProviderAndItsFix(Replay replay) {
    SmarthostServer.Builder b = SmarthostServer.builder().encryption(replay.encryption());
    if (replay.encryption() != Encryption.NONE) {
      b.requireAuth("app", PASSWORD);
    }
    try (SmarthostServer server = b.start()) {
      server.fault(Fault.reject(replay.step(), replay.code(), replay.text()));
      SmtpConnectionValidator validator =
          SmtpConnectionValidator.create(server.smtpOptions()).withDeadline(Duration.ofSeconds(20));
      boolean transactional = replay.step() == Step.RCPT || replay.step() == Step.DATA;
      boolean probe = replay.step() == Step.MAIL && replay.encryption() == Encryption.NONE;
      ValidationResult r =
          transactional || (replay.step() == Step.MAIL && !probe)
              ? validator.validate(server.settings(), MESSAGE)
              : validator.validate(server.settings());
      assertThat(r.ok()).as("%s", r).isFalse();
      SmtpFailure f = r.failure().orElseThrow();
      assertThat(f.kind()).as("%s / %s", f, f.detail()).isEqualTo(replay.kind());
      assertThat(f.provider().orElse("")).isEqualTo(replay.provider());
      assertThat(f.hint()).contains(replay.hintSays());
      assertThat(f.replyCode()).hasValue(replay.code());
      assertThat(f.reply())
          .hasValueSatisfying(reply -> assertThat(reply).startsWith(replay.code() + ""));
      assertThat(f.toString()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void theMailerCarriesTheProviderAndItsFixToo() throws Exception {
    try (SmarthostServer server =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireAuth("app", PASSWORD)
                .start();
        SmarthostMailer mailer =
            SmarthostMailer.builder(() -> Optional.of(server.settings()))
                .options(server.smtpOptions())
                .build()) {
      server.fault(
          Fault.reject(
              Step.MAIL,
              550,
              "5.7.60 SMTP; Client does not have permissions to send as this sender"));
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()));
      m.setFrom(new InternetAddress("other@example.org"));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
      m.setSubject("send as");
      m.setText("x");
      assertThatThrownBy(() -> mailer.send(m))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> {
                assertThat(e.failure().kind()).isEqualTo(FailureKind.SENDER_REJECTED);
                assertThat(e.failure().provider()).hasValue("Microsoft 365");
                assertThat(e.failure().hint()).contains("\"Send As\"");
                assertThat(e.attempts()).isEqualTo(1);
              });
    }
  }

  @Test
  void aReplyNoProviderDocumentsKeepsTheGenericHint() {
    assertThat(ProviderReplies.match(554, "554 5.7.1 Spam score too high")).isEmpty();
    // the testkit's, Dovecot's (through Postfix) and Exim's own refusals are not a provider's
    assertThat(ProviderReplies.match(535, "535 5.7.8 Authentication credentials invalid"))
        .isEmpty();
    assertThat(
            ProviderReplies.match(
                535, "535 5.7.8 Error: authentication failed: authentication failure"))
        .isEmpty();
    assertThat(ProviderReplies.match(535, "535 Incorrect authentication data")).isEmpty();
  }

  @Test
  void everyRowHasASourceLinkAndAHint() {
    List<ProviderReplies.Row> rows = ProviderReplies.rows();
    assertThat(rows).hasSizeGreaterThanOrEqualTo(20);
    assertThat(rows)
        .allSatisfy(
            row -> {
              assertThat(row.source()).startsWith("https://");
              assertThat(row.hint()).isNotBlank().endsWith(".");
            });
  }

  @Test
  void everyRowOfTheTableIsReplayedAbove() {
    Set<ProviderReplies.Row> hit = new HashSet<>();
    replays()
        .forEach(
            r -> {
              String wire = onTheWire(r.code(), r.text()).replace("\r\n", " ");
              hit.add(
                  ProviderReplies.match(r.code(), wire).orElseThrow(() -> new AssertionError(r)));
            });
    assertThat(hit).containsExactlyInAnyOrderElementsOf(ProviderReplies.rows());
  }

  /** A reply as the testkit's server writes a reject: {@code 550-first} CRLF {@code 550 last}. */
  private static String onTheWire(int code, String text) {
    String[] lines = text.split("\n");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      b.append(code).append(i == lines.length - 1 ? ' ' : '-').append(lines[i]);
      if (i < lines.length - 1) {
        b.append("\r\n");
      }
    }
    return b.toString();
  }
}
