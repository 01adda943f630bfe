package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.outbox.OutboxEntry;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.redis.RedisOutbox;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.SmarthostServer;
import dev.smarthost.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;

/**
 * The Redis outbox against a real redis-server: a poison entry never blocks the good ones, entries
 * waiting for a retry never stop a node from reading new ones, status calls never read a body, and
 * a pending entry can be tried now.
 */
@Timeout(180)
class RedisOutboxIntegrityTest {
  private static final String STREAM = "smarthost/outbox";

  static SmarthostMailer.Builder mailer(SmarthostServer server, RedisOutbox outbox) {
    SmarthostSettings s = server.settings();
    return SmarthostMailer.builder(() -> Optional.of(s))
        .options(server.smtpOptions())
        .outbox(outbox)
        .maxAttempts(1) // the outbox's retries, not the send's
        .maxConnections(2);
  }

  @Test
  void poisonEntriesGoDeadWithTheirReasonAndNeverBlockTheGoodOnes() throws Exception {
    try (RedisServer redis = RedisServer.start();
        SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        RedisOutbox outbox = RedisOutbox.builder(redis.uri()).consumer("one").build()) {
      String before = outbox.add(OutboxTest.bytes("before"), List.of("a@example.org"));
      try (Jedis j = redis.client()) {
        j.xadd(
            STREAM,
            XAddParams.xAddParams(),
            Map.of(
                "id",
                "bad-number",
                "enq",
                "12x",
                "att",
                "0",
                "next",
                "0",
                "rcpt",
                "a@example.org"));
        j.xadd(
            STREAM,
            XAddParams.xAddParams(),
            Map.of(
                "id",
                "bad-base64",
                "enq",
                "1",
                "att",
                "0",
                "next",
                "0",
                "rcpt",
                "a@example.org",
                "msg",
                "!!!not base64!!!"));
      }
      String after = outbox.add(OutboxTest.bytes("after"), List.of("a@example.org"));
      try (SmarthostMailer m = mailer(server, outbox).build()) {
        RedisOutboxTest.await(
            () -> server.receivedMessages().size() == 2 && outbox.deadCount() == 2,
            Duration.ofSeconds(10),
            "two delivered, two dead");
      }
      assertThat(RedisOutboxTest.bySubject(server)).containsOnlyKeys("before", "after");
      assertThat(outbox.dead())
          .extracting(OutboxEntry::id)
          .containsExactlyInAnyOrder("bad-number", "bad-base64");
      assertThat(outbox.dead())
          .allSatisfy(
              d -> {
                assertThat(d.lastFailure().orElseThrow().kind())
                    .isEqualTo(FailureKind.MESSAGE_REJECTED);
                assertThat(d.lastFailure().orElseThrow().detail()).startsWith("unreadable");
              });
      assertThat(outbox.pending()).extracting(OutboxEntry::id).doesNotContain(before, after);
      try (Jedis j = redis.client()) {
        assertThat(j.xlen(STREAM)).isZero();
        assertThat(j.xpending(STREAM, "smarthost").getTotal()).isZero();
      }
    }
  }

  @Test
  void aFreshMessageIsDeliveredWhile150OlderOnesKeepFailingWith450() throws Exception {
    try (RedisServer redis = RedisServer.start();
        SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        RedisOutbox outbox = RedisOutbox.builder(redis.uri()).consumer("one").build()) {
      server.fault(Fault.rejectRecipient("busy@example.org", 450, "4.2.0 Mailbox busy"));
      try (SmarthostMailer m =
          mailer(server, outbox)
              .outboxBackoff(Duration.ofSeconds(30), Duration.ofMinutes(30))
              .build()) {
        for (int i = 0; i < 150; i++) {
          m.enqueue(OutboxTest.message("busy-" + i, "busy@example.org"));
        }
        RedisOutboxTest.await(
            () -> outbox.pending().stream().allMatch(e -> e.attempts() >= 1),
            Duration.ofSeconds(60),
            "all 150 tried once and waiting for their retry");
        long start = System.nanoTime();
        m.enqueue(OutboxTest.message("fresh", "fresh@example.org"));
        RedisOutboxTest.await(
            () -> RedisOutboxTest.bySubject(server).containsKey("fresh"),
            Duration.ofSeconds(10),
            "the fresh message");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        System.out.println("fresh message behind 150 waiting retries delivered in " + took);
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        // the server has it; the outbox forgets it right after the 250 (a moment later)
        RedisOutboxTest.await(
            () -> outbox.pendingCount() == 150, Duration.ofSeconds(5), "150 still pending");
      }
    }
  }

  @Test
  void statusCallsReadNoBodies300PendingMessagesOfOneMiBInA256MiBJvm() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RedisOutbox outbox = RedisOutbox.builder(redis.uri()).consumer("writer").build()) {
      byte[] big = new byte[1 << 20];
      Arrays.fill(big, (byte) 'x');
      for (int i = 0; i < 300; i++) {
        outbox.add(big, List.of("a@example.org"));
      }
      String java = ProcessHandle.current().info().command().orElse("java");
      Process child =
          new ProcessBuilder(
                  java,
                  "-Xmx256m",
                  "-cp",
                  System.getProperty("java.class.path"),
                  RedisOutboxStatusChild.class.getName(),
                  redis.uri().toString())
              .redirectErrorStream(true)
              .start();
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      System.out.println("status child: " + out.strip());
      assertThat(child.exitValue()).as(out).isZero();
      assertThat(out).contains("PENDING 300");
      long slowest = Long.parseLong(out.replaceAll("(?s).*SLOWEST_MS (\\d+).*", "$1"));
      assertThat(slowest).as("slowest round, ms").isLessThan(1_000);
    }
  }

  @Test
  void aPendingEntryWaitingForItsRetryIsTriedNowOnRequest() throws Exception {
    try (RedisServer redis = RedisServer.start();
        SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        RedisOutbox outbox = RedisOutbox.builder(redis.uri()).consumer("one").build()) {
      server.fault(Fault.rejectRecipient("later@example.org", 451, "4.3.0 Try later").times(1));
      try (SmarthostMailer m =
          mailer(server, outbox)
              .outboxBackoff(Duration.ofMinutes(30), Duration.ofMinutes(30))
              .build()) {
        String id = m.enqueue(OutboxTest.message("now please", "later@example.org"));
        RedisOutboxTest.await(
            () -> outbox.pending().stream().anyMatch(e -> e.attempts() == 1),
            Duration.ofSeconds(10),
            "one failed attempt");
        OutboxEntry waiting = outbox.pending().get(0);
        assertThat(waiting.nextAttemptAt()).isAfter(Instant.now().plusSeconds(60));
        assertThat(outbox.retry(id)).isTrue();
        RedisOutboxTest.await(
            () -> RedisOutboxTest.bySubject(server).containsKey("now please"),
            Duration.ofSeconds(5),
            "delivered at once");
        RedisOutboxTest.await(
            () -> outbox.pendingCount() == 0, Duration.ofSeconds(5), "no longer pending");
        assertThat(outbox.retry("0000000000000-unknown")).isFalse();
      }
    }
  }
}
