package dev.smarthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SmtpFailureTest {

  @Test
  void theEnhancedStatusComesFromTheReply() {
    assertThat(reply(550, "550 5.7.30 Basic authentication is not supported").enhancedStatus())
        .contains("5.7.30");
    assertThat(reply(534, "534-5.7.9 Application-specific password required.").enhancedStatus())
        .contains("5.7.9");
    assertThat(reply(535, "535 5.7.139 Authentication unsuccessful").enhancedStatus())
        .contains("5.7.139");
    assertThat(reply(554, "554 Message rejected: Email address is not verified").enhancedStatus())
        .isEmpty();
    assertThat(reply(550, "550 6.1.1 not a class").enhancedStatus()).isEmpty();
    assertThat(SmtpFailure.builder(FailureKind.CONNECT_TIMEOUT).build().enhancedStatus()).isEmpty();
  }

  @Test
  void aValueWithEqualityAndACopyingBuilder() {
    SmtpFailure f =
        SmtpFailure.builder(FailureKind.RECIPIENT_REJECTED)
            .reply(554, "554 5.7.1 Relay access denied")
            .hint("relay refused")
            .detail("RCPT")
            .build();
    assertThat(f.toBuilder().build()).isEqualTo(f).hasSameHashCodeAs(f);
    assertThat(f.toBuilder().hint("other").build()).isNotEqualTo(f);
    assertThat(f.replyCode()).hasValue(554);
    assertThat(f.toString())
        .isEqualTo("RECIPIENT_REJECTED (554 5.7.1 Relay access denied): relay refused");
    SmtpFailure bare = SmtpFailure.builder(FailureKind.UNKNOWN_HOST).build();
    assertThat(bare.replyCode()).isEmpty();
    assertThat(bare.reply()).isEmpty();
    assertThat(bare.hint()).isEmpty();
    assertThat(bare.detail()).isEmpty();
  }

  @Test
  void aReplyCodeOutsideSmtpsRangeIsRefusedNamingTheField() {
    assertThatThrownBy(() -> SmtpFailure.builder(FailureKind.PROTOCOL_ERROR).reply(999, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("code: must be 0 or 200–599, but was 999");
  }

  private static SmtpFailure reply(int code, String text) {
    return SmtpFailure.builder(FailureKind.AUTHENTICATION_FAILED).reply(code, text).build();
  }
}
