package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.session.ValidationPhase;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Fault.Step;
import dev.smarthost.testkit.SmarthostServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The testkit's steps and the check's phases name the same moments of a conversation: a server that
 * refuses at {@code step} makes a real check fail in {@code step.phase()} — every phase before it
 * completed, that one did not.
 */
@Timeout(60)
class FaultStepPhaseTest {
  private static final List<ValidationPhase> CONVERSATION =
      List.of(
          ValidationPhase.RESOLVE,
          ValidationPhase.CONNECT,
          ValidationPhase.GREETING,
          ValidationPhase.EHLO,
          ValidationPhase.AUTH,
          ValidationPhase.MAIL,
          ValidationPhase.RCPT,
          ValidationPhase.DATA);

  @ParameterizedTest
  @EnumSource(Step.class)
  void aRefusalAtAStepStopsTheCheckInItsPhase(Step step) {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.NONE)
            .requireAuth("app", "s3cret")
            .start()) {
      server.fault(Fault.reject(step, step == Step.AUTH ? 535 : 554, "5.7.1 refused at " + step));
      ValidationResult result =
          SmtpConnectionValidator.create(
                  server.smtpOptions().toBuilder().readTimeout(Duration.ofSeconds(5)).build())
              .validate(server.settings(), TestMessage.of("app@example.org", "admin@example.org"));

      assertThat(result.ok()).isFalse();
      assertThat(result.failure().orElseThrow().reply())
          .as("%s", result)
          .hasValueSatisfying(r -> assertThat(r).contains("refused at " + step));
      // every step before it completed; it did not, and nothing after it ran
      assertThat(result.phaseNames())
          .containsExactlyElementsOf(CONVERSATION.subList(0, CONVERSATION.indexOf(step.phase())));
    }
  }

  @Test
  void aRefusedEhloIsReportedWithTheServersWordsNotAsAStrangeServer() {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      server.fault(Fault.reject(Step.EHLO, 550, "5.7.1 Client host rejected: your name"));
      ValidationResult result =
          SmtpConnectionValidator.create(server.smtpOptions()).validate(server.settings());

      SmtpFailure failure = result.failure().orElseThrow();
      assertThat(failure.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
      assertThat(failure.replyCode()).hasValue(550);
      assertThat(failure.reply())
          .hasValueSatisfying(r -> assertThat(r).contains("Client host rejected"));
      assertThat(failure.hint())
          .startsWith("The server refused to go on during")
          .doesNotContain("is an SMTP server");
    }
  }
}
