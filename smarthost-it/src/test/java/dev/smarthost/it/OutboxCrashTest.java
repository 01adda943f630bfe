package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.outbox.FileOutbox;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: the application is a separate JVM ({@link OutboxChild}) that halts; a new mailer on
 * the same directory must deliver everything that was accepted, at least once.
 */
@Timeout(180)
class OutboxCrashTest {
  @TempDir Path dir;

  private static String runChild(Path dir, int port, int count, long haltAfterMillis)
      throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                OutboxChild.class.getName(),
                dir.toString(),
                Integer.toString(port),
                Integer.toString(count),
                Long.toString(haltAfterMillis))
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the child did not halt within 120 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).as(out).contains("ENQUEUED " + count).contains("HALT");
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Restarts the application on the directory and waits until {@code count} distinct arrived. */
  private static Map<String, Integer> restartAndDeliver(Path dir, SmarthostServer server, int count)
      throws Exception {
    SmarthostSettings s = server.settings();
    try (FileOutbox outbox = FileOutbox.open(dir);
        SmarthostMailer mailer =
            SmarthostMailer.builder(() -> Optional.of(s))
                .outbox(outbox)
                .maxConnections(2)
                .outboxBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .build()) {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Map<String, Integer> bySubject = new HashMap<>();
      while (true) {
        bySubject.clear();
        for (ReceivedMessage r : server.receivedMessages()) {
          bySubject.merge(r.subject().orElse(""), 1, Integer::sum);
        }
        if ((bySubject.size() >= count && outbox.pendingCount() == 0) || System.nanoTime() > end) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(outbox.pendingCount()).isZero();
      assertThat(outbox.dead()).isEmpty();
      return bySubject;
    }
  }

  @Test
  void acceptedWhileTheSmarthostIsDownSurvivesAHaltAndIsDeliveredAfterTheRestart()
      throws Exception {
    int port = freePort(); // nothing listens while the child runs
    runChild(dir, port, 300, 0);
    try (SmarthostServer server =
        SmarthostServer.builder().encryption(Encryption.NONE).port(port).start()) {
      Map<String, Integer> got = restartAndDeliver(dir, server, 300);
      assertThat(got).hasSize(300);
      assertThat(got.values()).allMatch(n -> n == 1);
    }
  }

  @Test
  void aHaltInTheMiddleOfDeliveringLosesNothingAndRepeatsAtMostTheInFlightMessages()
      throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      String out = runChild(dir, server.port(), 500, 150);
      int beforeRestart = server.receivedMessages().size();
      // the halt really came in the middle: some delivered, some still pending
      assertThat(beforeRestart).as(out).isBetween(1, 499);
      System.out.println(out.strip() + "; received before the restart: " + beforeRestart);
      Map<String, Integer> got = restartAndDeliver(dir, server, 500);
      assertThat(got).as(out).hasSize(500);
      int duplicates = got.values().stream().mapToInt(n -> n - 1).sum();
      // at most one message per connection (maxConnections 2) was between the server's 250 and
      // the bookkeeping when the JVM halted
      assertThat(duplicates)
          .as("%s; %d before the restart", out, beforeRestart)
          .isLessThanOrEqualTo(2);
      List<ReceivedMessage> all = server.receivedMessages();
      assertThat(all).hasSize(500 + duplicates);
    }
  }
}
