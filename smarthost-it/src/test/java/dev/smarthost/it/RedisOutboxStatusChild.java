package dev.smarthost.it;

import dev.smarthost.redis.RedisOutbox;
import java.net.URI;
import java.time.Duration;

/**
 * A health probe and a metrics scrape in a small JVM ({@code -Xmx256m}): what {@link
 * RedisOutboxIntegrityTest} runs against a stream of large pending messages. Prints the slowest of
 * ten rounds.
 */
public final class RedisOutboxStatusChild {
  private RedisOutboxStatusChild() {}

  /**
   * Runs ten rounds of the status calls.
   *
   * @param args the redis URI
   * @throws Exception never caught: a failure (an OutOfMemoryError) is a non-zero exit
   */
  public static void main(String[] args) throws Exception {
    try (RedisOutbox outbox = RedisOutbox.builder(URI.create(args[0])).consumer("status").build()) {
      long slowest = 0;
      int listed = 0;
      for (int round = 0; round < 10; round++) {
        long start = System.nanoTime();
        int pending = outbox.pendingCount(); // health
        outbox.oldestPending(); // health and the age gauge
        outbox.deadCount(); // health and the dead gauge
        listed = outbox.pending().size(); // a status page
        slowest = Math.max(slowest, System.nanoTime() - start);
        if (pending != listed) {
          throw new AssertionError("pendingCount " + pending + " but " + listed + " listed");
        }
      }
      System.out.println(
          "PENDING " + listed + " SLOWEST_MS " + Duration.ofNanos(slowest).toMillis());
    }
  }
}
