package dev.smarthost.it;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.send.MailerListener;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.redis.RedisOutbox;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Node A of {@link RedisOutboxTest}: stores {@code count} messages in the shared stream, then
 * delivers with two connections and halts the JVM {@code haltAfterMillis} after its first delivery,
 * leaving what it had read but not acknowledged in its pending list.
 */
public final class RedisOutboxChild {
  private RedisOutboxChild() {}

  /**
   * Runs node A.
   *
   * @param args redis URI, SMTP port, count, haltAfterMillis
   * @throws Exception never caught: a failure is a non-zero exit
   */
  public static void main(String[] args) throws Exception {
    URI redis = URI.create(args[0]);
    int port = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    long haltAfter = Long.parseLong(args[3]);
    SmarthostSettings settings =
        SmarthostSettings.builder()
            .host("localhost")
            .port(port)
            .encryption(Encryption.NONE)
            .build();
    CountDownLatch firstSent = new CountDownLatch(1);
    RedisOutbox outbox =
        RedisOutbox.builder(redis).consumer("node-a").claimAfter(Duration.ofSeconds(2)).build();
    // all accepted first (the same add that enqueue uses), then delivery starts
    for (int i = 0; i < count; i++) {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      OutboxTest.message("shared-" + i, "admin@example.org")
          .writeTo(bytes, new String[] {"Bcc", "Content-Length"});
      outbox.add(bytes.toByteArray(), java.util.List.of("admin@example.org"));
    }
    System.out.println("ENQUEUED " + count);
    System.out.flush();
    SmarthostMailer mailer =
        SmarthostMailer.builder(() -> Optional.of(settings))
            .outbox(outbox)
            .maxConnections(2)
            .listener(
                new MailerListener() {
                  @Override
                  public void sent(SendResult result) {
                    firstSent.countDown();
                  }
                })
            .build();
    if (!firstSent.await(30, TimeUnit.SECONDS)) {
      System.out.println("NOTHING SENT within 30 s");
    }
    Thread.sleep(haltAfter);
    System.out.println("HALT");
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
