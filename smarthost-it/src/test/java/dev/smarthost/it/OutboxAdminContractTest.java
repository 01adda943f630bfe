package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.FailureKind;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.outbox.FileOutbox;
import dev.smarthost.core.outbox.Outbox;
import dev.smarthost.core.outbox.OutboxEntry;
import dev.smarthost.core.outbox.OutboxStore;
import dev.smarthost.redis.RedisOutbox;
import dev.smarthost.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an administrator does to an outbox means the same in every implementation: the file outbox
 * opened, the same directory inspected from outside while nobody has it open, and the Redis outbox
 * on a real redis-server. Each is brought into one state through the store's own API — an entry
 * waiting for its retry, one being delivered right now, one given up on for one of its two
 * recipients (the other waits for its retry), one dead — and then retried.
 */
@Timeout(60)
class OutboxAdminContractTest {
  private static final byte[] MESSAGE =
      "Subject: admin\r\n\r\nretried by the administrator\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final SmtpFailure BUSY =
      SmtpFailure.builder(FailureKind.SERVER_UNAVAILABLE).reply(421, "4.3.2 busy").build();
  private static final SmtpFailure UNKNOWN =
      SmtpFailure.builder(FailureKind.RECIPIENT_REJECTED).reply(550, "5.1.1 no such user").build();

  /** The state every outbox is brought into; returns the ids: waiting, delivering, split, dead. */
  private static List<String> arrange(OutboxStore store) {
    String waiting = store.add(MESSAGE, List.of("a@example.org"));
    String delivering = store.add(MESSAGE, List.of("b@example.org"));
    String split = store.add(MESSAGE, List.of("c@example.org", "gone@example.org"));
    String dead = store.add(MESSAGE, List.of("d@example.org"));
    Instant now = Instant.now();
    assertThat(store.claimDue(now, 10)).extracting(OutboxEntry::id).hasSize(4);
    store.reschedule(waiting, List.of("a@example.org"), now.plus(1, ChronoUnit.HOURS), BUSY);
    store.bury(split, List.of("gone@example.org"), UNKNOWN);
    store.reschedule(split, List.of("c@example.org"), now.plus(1, ChronoUnit.HOURS), BUSY);
    store.bury(dead, List.of("d@example.org"), UNKNOWN);
    return List.of(waiting, delivering, split, dead);
  }

  /** Retries everything: the count, and the dead ones are pending again. */
  private static void retryAll(Outbox outbox) {
    assertThat(outbox.dead()).hasSize(2); // the dead entry and the split-off recipient
    assertThat(outbox.pendingCount()).isEqualTo(3);
    // each pending entry (also the one being delivered) and each dead one moved back
    assertThat(outbox.retryAll()).isEqualTo(5);
    assertThat(outbox.dead()).isEmpty();
  }

  /** What the owner of the outbox sees after the retry: everything due, backoff reset. */
  private static void assertDueNow(Outbox outbox, List<String> ids) {
    Instant now = Instant.now();
    List<OutboxEntry> pending = outbox.pending();
    assertThat(pending).hasSize(5).extracting(OutboxEntry::id).containsAll(ids);
    for (String waited : List.of(ids.get(0), ids.get(2))) {
      assertThat(pending)
          .filteredOn(e -> e.id().equals(waited))
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.attempts()).isZero();
                assertThat(e.nextAttemptAt()).isBeforeOrEqualTo(now);
              });
    }
    assertThat(pending)
        .filteredOn(e -> e.id().equals(ids.get(2)))
        .singleElement()
        .satisfies(e -> assertThat(e.recipients()).containsExactly("c@example.org"));
    assertThat(pending)
        .filteredOn(e -> e.recipients().equals(List.of("gone@example.org")))
        .hasSize(1);
  }

  /**
   * Retried by the store's own process: everything is due, the delivery under way stays its own.
   */
  private static void retriedWhileOpen(OutboxStore store) {
    List<String> ids = arrange(store);
    retryAll(store);
    assertDueNow(store, ids);
    assertThat(store.claimDue(Instant.now(), 10))
        .extracting(OutboxEntry::id)
        .contains(ids.get(0), ids.get(2), ids.get(3))
        .doesNotContain(ids.get(1)); // still being delivered: never claimed twice
  }

  @Test
  void fileOutboxOpen(@TempDir Path dir) {
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      retriedWhileOpen(outbox);
    }
  }

  @Test
  void fileOutboxInspectedFromOutside(@TempDir Path dir) {
    List<String> ids;
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      ids = arrange(outbox);
    }
    retryAll(FileOutbox.inspect(dir));
    try (FileOutbox reopened = FileOutbox.open(dir)) {
      assertDueNow(reopened, ids);
      assertThat(reopened.claimDue(Instant.now(), 10))
          .extracting(OutboxEntry::id)
          .hasSize(5)
          .containsAll(ids);
    }
  }

  @Test
  void redisOutbox() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RedisOutbox outbox = RedisOutbox.builder(redis.uri()).consumer("admin").build()) {
      retriedWhileOpen(outbox);
    }
  }
}
