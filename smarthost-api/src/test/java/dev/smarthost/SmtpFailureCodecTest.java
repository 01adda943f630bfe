package dev.smarthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One codec for a failure as fields: the outboxes, reports and health read and write the same. */
class SmtpFailureCodecTest {
  private static final SmtpFailure FULL =
      SmtpFailure.builder(FailureKind.RECIPIENT_REJECTED)
          .reply(550, "550 5.1.1 <nobody@example.org>: Recipient address rejected")
          .provider("Postfix")
          .hint("The server refused this recipient.")
          .detail("RCPT TO:<nobody@example.org>")
          .build();

  @Test
  void everyKindRoundTripsInEverySpelling() {
    for (SmtpFailureCodec codec :
        new SmtpFailureCodec[] {
          SmtpFailureCodec.OUTBOX_FILE, SmtpFailureCodec.REDIS, SmtpFailureCodec.REPORT
        }) {
      assertThat(codec.decode(codec.encode(FULL)::get)).contains(FULL);
      for (FailureKind kind : FailureKind.values()) {
        SmtpFailure bare = SmtpFailure.builder(kind).hint("h").detail("d").build();
        assertThat(codec.decode(codec.encode(bare)::get)).as("%s", kind).contains(bare);
      }
    }
  }

  @Test
  void theStoredSpellingsAreTheOnesAlreadyOnDiskAndInRedis() {
    assertThat(SmtpFailureCodec.OUTBOX_FILE.encode(FULL))
        .containsOnlyKeys(
            "failure.kind",
            "failure.code",
            "failure.reply",
            "failure.provider",
            "failure.hint",
            "failure.detail")
        .containsEntry("failure.code", "550");
    assertThat(SmtpFailureCodec.REDIS.encode(FULL))
        .containsOnlyKeys("fk", "fc", "fr", "fp", "fh", "fd")
        .containsEntry("fk", "RECIPIENT_REJECTED");
    // a state file written before the codec existed
    Map<String, String> old = new HashMap<>();
    old.put("failure.kind", "CONNECTION_REFUSED");
    old.put("failure.code", "0");
    old.put("failure.hint", "Nothing listens there.");
    old.put("failure.detail", "Connection refused");
    SmtpFailure read = SmtpFailureCodec.OUTBOX_FILE.decode(old::get).orElseThrow();
    assertThat(read.kind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
    assertThat(read.replyCode()).isEmpty();
    assertThat(read.hint()).isEqualTo("Nothing listens there.");
  }

  @Test
  void noKindIsNoFailureAndAnUnknownKindIsAProtocolError() {
    assertThat(SmtpFailureCodec.REDIS.decode(Map.of("fc", "550")::get)).isEmpty();
    SmtpFailure later =
        SmtpFailureCodec.REDIS
            .decode(Map.of("fk", "KIND_OF_A_LATER_VERSION", "fh", "h")::get)
            .orElseThrow();
    assertThat(later.kind()).isEqualTo(FailureKind.PROTOCOL_ERROR);
    assertThat(later.hint()).isEqualTo("h");
  }

  @Test
  void aMalformedCodeIsRefusedNamingItsKey() {
    assertThatThrownBy(
            () ->
                SmtpFailureCodec.OUTBOX_FILE.decode(
                    Map.of("failure.kind", "READ_TIMEOUT", "failure.code", "5x")::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failure.code: not a number");
    assertThatThrownBy(
            () -> SmtpFailureCodec.REDIS.decode(Map.of("fk", "READ_TIMEOUT", "fc", "600")::get))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fc: out of range (0 to 599)");
  }
}
