package dev.smarthost.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.FailureKind;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.Test;

/** Chains seen against a real Postfix that the end-to-end tests cannot provoke with the testkit. */
class FailureClassifierTest {

  @Test
  void aTemporaryReplyToStarttlsIsServerUnavailable() {
    // Postfix without a working TLS context answers STARTTLS like this.
    dev.smarthost.SmtpFailure c =
        FailureClassifier.classify(
            new MessagingException("454 4.7.0 TLS not available due to local problem\n"), null);
    assertThat(c.kind()).isEqualTo(FailureKind.SERVER_UNAVAILABLE);
    assertThat(c.replyCode()).hasValue(454);
    assertThat(c.reply()).contains("454 4.7.0 TLS not available due to local problem");
    assertThat(c.enhancedStatus()).contains("4.7.0");
  }

  @Test
  void aMessageThatIsNoReplyStaysAProtocolError() {
    assertThat(FailureClassifier.classify(new MessagingException("[EOF]"), null).kind())
        .isEqualTo(FailureKind.PROTOCOL_ERROR);
  }
}
