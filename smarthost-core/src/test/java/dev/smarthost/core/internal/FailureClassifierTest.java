package dev.smarthost.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.FailureKind;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.Test;

/** Chains seen against a real Postfix that the end-to-end tests cannot provoke with the testkit. */
class FailureClassifierTest {
  private static final FailureContext SENDING =
      FailureContext.sending(
          dev.smarthost.SmarthostSettings.builder().host("smtp.example.org").build(),
          java.time.Duration.ofSeconds(10));

  @Test
  void aTemporaryReplyToStarttlsIsServerUnavailable() {
    // Postfix without a working TLS context answers STARTTLS like this.
    dev.smarthost.SmtpFailure c =
        FailureClassifier.classify(
            new MessagingException("454 4.7.0 TLS not available due to local problem\n"), SENDING);
    assertThat(c.kind()).isEqualTo(FailureKind.SERVER_UNAVAILABLE);
    assertThat(c.replyCode()).hasValue(454);
    assertThat(c.reply()).contains("454 4.7.0 TLS not available due to local problem");
    assertThat(c.enhancedStatus()).contains("4.7.0");
  }

  @Test
  void aMultiLineReplyIsOneLineWithoutTheRepeatedCodes() {
    // Postfix' answer to RCPT for an unknown user, as Angus hands it over
    String raw =
        "550-5.1.1 <nobody@example.org>: Recipient address rejected:\r\n"
            + "550 5.1.1 User unknown in virtual mailbox table\r\n";
    assertThat(FailureClassifier.joinReply(raw))
        .isEqualTo(
            "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in"
                + " virtual mailbox table");
    assertThat(FailureClassifier.joinReply("250-first\n250-second\n250 third"))
        .isEqualTo("250 first second third");
    assertThat(FailureClassifier.joinReply("421 4.7.0 Bye")).isEqualTo("421 4.7.0 Bye");
    dev.smarthost.SmtpFailure c =
        FailureClassifier.classify(
            new org.eclipse.angus.mail.smtp.SMTPSendFailedException(
                "DATA", 552, raw.replace("550", "552"), null, null, null, null),
            SENDING);
    assertThat(c.reply()).hasValueSatisfying(r -> assertThat(r).doesNotContain("\n", "552-"));
  }

  @Test
  void aMessageThatIsNoReplyStaysAProtocolError() {
    assertThat(FailureClassifier.classify(new MessagingException("[EOF]"), SENDING).kind())
        .isEqualTo(FailureKind.PROTOCOL_ERROR);
  }

  @Test
  void microsoftRejectingAnAccessTokenGetsTheAppRegistrationHint() {
    // Exchange Online answers a token it does not accept like a bad password.
    jakarta.mail.AuthenticationFailedException refused =
        new jakarta.mail.AuthenticationFailedException(
            "535 5.7.3 Authentication unsuccessful [SN4PR0601CA0012.namprd06.prod.outlook.com]");
    dev.smarthost.SmarthostSettings m365 =
        dev.smarthost.SmarthostSettings.builder()
            .host("smtp.office365.com")
            .oauth2(
                "box@contoso.com",
                dev.smarthost.core.oauth2.OAuth2Clients.microsoft365("contoso", "app", "secret"))
            .build();
    dev.smarthost.SmtpFailure token =
        FailureClassifier.classify(
            refused, FailureContext.sending(m365, java.time.Duration.ofSeconds(10)));
    assertThat(token.kind()).isEqualTo(FailureKind.AUTHENTICATION_FAILED);
    assertThat(token.hint()).contains("SMTP.SendAsApp", "New-ServicePrincipal", "box@contoso.com");
    dev.smarthost.SmtpFailure password =
        FailureClassifier.classify(
            refused,
            FailureContext.sending(
                m365.toBuilder().credentials("box@contoso.com", "pw").build(),
                java.time.Duration.ofSeconds(10)));
    assertThat(password.hint()).doesNotContain("SMTP.SendAsApp");
  }

  @Test
  void theXoauth2ErrorChallengeIsDecodedIntoTheDetail() {
    String json =
        "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.google.com/\"}";
    String challenge =
        "334 "
            + java.util.Base64.getEncoder()
                .encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    dev.smarthost.SmtpFailure f =
        FailureClassifier.classify(
            new jakarta.mail.AuthenticationFailedException(
                challenge, new jakarta.mail.AuthenticationFailedException("OAUTH2 asked for more")),
            SENDING);
    assertThat(f.kind()).isEqualTo(FailureKind.AUTHENTICATION_FAILED);
    assertThat(f.detail()).contains("the server's XOAUTH2 error: " + json);
  }
}
