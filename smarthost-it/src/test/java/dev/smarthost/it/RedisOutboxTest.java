package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.outbox.OutboxEntry;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.redis.RedisOutbox;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Fault.Step;
import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;
import dev.smarthost.testsupport.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** The Redis Streams outbox against a real redis-server and the testkit's real SMTP. */
@Timeout(180)
class RedisOutboxTest {

  static void await(BooleanSupplier condition, Duration max, String what) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + max + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  static SmarthostMailer mailer(SmarthostServer server, RedisOutbox outbox) {
    SmarthostSettings s = server.settings();
    return SmarthostMailer.builder(() -> Optional.of(s))
        .options(server.smtpOptions())
        .outbox(outbox)
        .maxConnections(2)
        .outboxBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
        .build();
  }

  static Map<String, Integer> bySubject(SmarthostServer server) {
    Map<String, Integer> m = new HashMap<>();
    for (ReceivedMessage r : server.receivedMessages()) {
      m.merge(r.subject().orElse(""), 1, Integer::sum);
    }
    return m;
  }

  static long length(RedisServer redis, String key) {
    try (Jedis j = redis.client()) {
      return j.xlen(key);
    }
  }

  @Test
  void deliversAndAPoisonMessageEndsInTheDeadStreamNotARetryLoop() throws Exception {
    try (RedisServer redis = RedisServer.start();
        SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        RedisOutbox outbox = RedisOutbox.builder(redis.uri()).consumer("one").build();
        SmarthostMailer m = mailer(server, outbox)) {
      server.fault(Fault.rejectRecipient("poison@example.org", 550, "5.1.1 No such user").times(3));
      m.enqueue(OutboxTest.message("fine", "admin@example.org"));
      String poison = m.enqueue(OutboxTest.message("poison", "poison@example.org"));
      await(() -> outbox.dead().size() == 1, Duration.ofSeconds(10), "dead");
      assertThat(server.awaitMessages(1, Duration.ofSeconds(10)).get(0).subject()).hasValue("fine");
      OutboxEntry dead = outbox.dead().get(0);
      assertThat(dead.id()).isEqualTo(poison);
      assertThat(dead.attempts()).isEqualTo(1);
      assertThat(dead.lastFailure().orElseThrow().kind()).isEqualTo(FailureKind.RECIPIENT_REJECTED);
      assertThat(dead.lastFailure().orElseThrow().replyCode()).hasValue(550);
      await(() -> length(redis, "smarthost/outbox") == 0, Duration.ofSeconds(5), "stream empty");
      assertThat(length(redis, "smarthost/outbox:dead")).isEqualTo(1);
      Thread.sleep(500); // no retry loop: the fault had uses left, yet nothing tried again
      assertThat(server.faults()).isNotEmpty();
      assertThat(outbox.retry(poison)).isTrue();
      await(
          () -> outbox.dead().size() == 1 && outbox.pendingCount() == 0,
          Duration.ofSeconds(10),
          "dead again");
      assertThat(outbox.purgeDead()).isEqualTo(1);
      assertThat(outbox.dead()).isEmpty();
    }
  }

  @Test
  void enqueueFailsFastWhileRedisIsDownAndNothingIsLostAcrossARestart() throws Exception {
    try (RedisServer redis = RedisServer.startDurable();
        SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        RedisOutbox outbox =
            RedisOutbox.builder(redis.uri())
                .consumer("one")
                .claimAfter(Duration.ofSeconds(2))
                .timeout(Duration.ofMillis(500))
                .build();
        SmarthostMailer m = mailer(server, outbox)) {
      for (int i = 0; i < 300; i++) {
        m.enqueue(OutboxTest.message("restart-" + i, "admin@example.org"));
      }
      await(() -> !server.receivedMessages().isEmpty(), Duration.ofSeconds(10), "delivery began");
      redis.kill();
      long start = System.nanoTime();
      assertThatThrownBy(() -> m.enqueue(OutboxTest.message("while down", "admin@example.org")))
          .isInstanceOf(SmarthostOutboxException.class)
          .hasMessageContaining("nothing was kept");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      Thread.sleep(300); // deliveries go on from what was read; their acknowledgements fail
      redis.restartKeepingData();
      await(
          () -> bySubject(server).size() == 300 && length(redis, "smarthost/outbox") == 0,
          Duration.ofSeconds(60),
          "all 300 delivered after the restart; have " + bySubject(server).size());
      assertThat(bySubject(server)).doesNotContainKey("while down");
      assertThat(outbox.dead()).isEmpty();
    }
  }

  @Test
  void retriesKeepTheirAttemptCountWhenAnotherNodeTakesOver() throws Exception {
    try (RedisServer redis = RedisServer.start();
        SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      try (RedisOutbox one =
              RedisOutbox.builder(redis.uri())
                  .consumer("one")
                  .claimAfter(Duration.ofSeconds(1))
                  .build();
          SmarthostMailer off =
              SmarthostMailer.builder(Optional::empty) // e-mail switched off: temporary
                  .outbox(one)
                  .outboxBackoff(Duration.ofMillis(50), Duration.ofMillis(100))
                  .build()) {
        off.enqueue(OutboxTest.message("kept count", "admin@example.org"));
        await(
            () -> one.pending().stream().anyMatch(e -> e.attempts() >= 2),
            Duration.ofSeconds(10),
            "two failed attempts on node one");
      }
      int before;
      try (RedisOutbox two = RedisOutbox.builder(redis.uri()).consumer("two").build()) {
        before = two.pending().get(0).attempts(); // read from the stream, not node one's memory
        assertThat(before).isGreaterThanOrEqualTo(2);
        server.fault(Fault.reject(Step.DATA, 554, "5.6.0 Message content rejected"));
        try (SmarthostMailer m = mailer(server, two)) {
          await(() -> two.dead().size() == 1, Duration.ofSeconds(15), "dead on node two");
          assertThat(two.dead().get(0).attempts()).isEqualTo(before + 1);
        }
      }
    }
  }

  @Test
  void aMessageTooLargeForAStreamEntryIsRefusedClearly() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RedisOutbox outbox = RedisOutbox.builder(redis.uri()).maxMessageBytes(1000).build()) {
      assertThatThrownBy(
              () ->
                  outbox.add(
                      "x".repeat(2000).getBytes(StandardCharsets.US_ASCII),
                      java.util.List.of("a@example.org")))
          .isInstanceOf(SmarthostOutboxException.class)
          .hasMessageContaining("2000 bytes, more than the 1000");
      assertThat(length(redis, "smarthost/outbox")).isZero();
    }
  }

  @Test
  void twoNodesOneHaltedMidDeliveryTheOtherDeliversEverything() throws Exception {
    try (RedisServer redis = RedisServer.start();
        SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      String java = ProcessHandle.current().info().command().orElse("java");
      Process a =
          new ProcessBuilder(
                  java,
                  "-cp",
                  System.getProperty("java.class.path"),
                  RedisOutboxChild.class.getName(),
                  redis.uri().toString(),
                  Integer.toString(server.port()),
                  "1000",
                  "150")
              .redirectErrorStream(true)
              .start();
      assertThat(a.waitFor(120, TimeUnit.SECONDS)).as("node A halts").isTrue();
      String out = new String(a.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(out).as(out).contains("ENQUEUED 1000").contains("HALT");
      int atHalt = server.receivedMessages().size();
      assertThat(atHalt).as("A halted in the middle of delivering").isBetween(1, 999);
      long leftByA;
      try (Jedis j = redis.client()) {
        leftByA = j.xpending("smarthost/outbox", "smarthost").getTotal();
      }
      assertThat(leftByA).as("A left read but unacknowledged entries").isPositive();
      // node B: a live node on the same stream takes over A's pending entries after claimAfter
      try (RedisOutbox b =
              RedisOutbox.builder(redis.uri())
                  .consumer("node-b")
                  .claimAfter(Duration.ofSeconds(2))
                  .build();
          SmarthostMailer nodeB = mailer(server, b)) {
        await(
            () -> bySubject(server).size() == 1000 && length(redis, "smarthost/outbox") == 0,
            Duration.ofSeconds(90),
            "node B delivers everything; have " + bySubject(server).size());
        Map<String, Integer> got = bySubject(server);
        int duplicates = got.values().stream().mapToInt(n -> n - 1).sum();
        System.out.printf(
            "two nodes: %d received when A halted, %d left pending by A, duplicates %d%n",
            atHalt, leftByA, duplicates);
        // at most A's in-flight messages (2 connections) are repeated
        assertThat(duplicates).isLessThanOrEqualTo(2);
        assertThat(b.dead()).isEmpty();
        try (Jedis j = redis.client()) {
          assertThat(j.xpending("smarthost/outbox", "smarthost").getTotal()).isZero();
        }
      }
    }
  }
}
