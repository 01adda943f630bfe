package dev.smarthost.it;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.outbox.FileOutbox;
import dev.smarthost.core.send.SmarthostMailer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The application that crashes, for {@link OutboxCrashTest}: with {@code haltAfterMillis} 0,
 * enqueues {@code count} messages through a mailer with a file outbox in {@code dir} to {@code
 * localhost:port} and halts at once; otherwise stores them first, starts the mailer, and halts that
 * long after the first message was delivered ({@code Runtime.halt}: no shutdown hooks, no close).
 */
public final class OutboxChild {
  private OutboxChild() {}

  /**
   * Runs the child.
   *
   * @param args dir, port, count, haltAfterMillis
   * @throws Exception never caught: a failure is a non-zero exit
   */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    long haltAfter = Long.parseLong(args[3]);
    SmarthostSettings settings =
        SmarthostSettings.builder()
            .host("localhost")
            .port(port)
            .encryption(Encryption.NONE)
            .build();
    java.util.concurrent.CountDownLatch firstSent = new java.util.concurrent.CountDownLatch(1);
    FileOutbox outbox = FileOutbox.open(dir);
    if (haltAfter > 0) {
      // all accepted first (the same durable add that enqueue uses), then delivery starts
      for (int i = 0; i < count; i++) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        jakarta.mail.internet.MimeMessage m = OutboxTest.message("crash-" + i, "admin@example.org");
        m.writeTo(bytes, new String[] {"Bcc", "Content-Length"});
        outbox.add(bytes.toByteArray(), java.util.List.of("admin@example.org"));
      }
      System.out.println("ENQUEUED " + count);
      System.out.flush();
    }
    SmarthostMailer mailer =
        SmarthostMailer.builder(() -> Optional.of(settings))
            .outbox(outbox)
            .maxConnections(2)
            .maxAttempts(1)
            .outboxBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
            .listener(
                new dev.smarthost.core.send.MailerListener() {
                  @Override
                  public void sent(dev.smarthost.core.send.SendResult result) {
                    firstSent.countDown();
                  }
                })
            .build();
    if (haltAfter == 0) {
      for (int i = 0; i < count; i++) {
        mailer.enqueue(OutboxTest.message("crash-" + i, "admin@example.org"));
      }
      System.out.println("ENQUEUED " + count);
      System.out.flush();
    }
    if (haltAfter > 0 && !firstSent.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
      System.out.println("NOTHING SENT within 30 s");
    }
    Thread.sleep(haltAfter);
    System.out.println("HALT pending=" + outbox.pendingCount());
    System.out.flush();
    Runtime.getRuntime().halt(0);
  }
}
