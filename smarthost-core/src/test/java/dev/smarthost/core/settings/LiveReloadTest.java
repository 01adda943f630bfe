package dev.smarthost.core.settings;

import static dev.smarthost.core.settings.EnvFileSmarthostResolverTest.replace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LiveReloadTest {
  @TempDir Path dir;

  private static String env(int port) {
    return "SMTP_ENABLED=1\nSMTP_HOST=smtp.example.org\nSMTP_PORT=" + port + "\n";
  }

  private static boolean watchThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith("smarthost-watch-"));
  }

  @Test
  void atomicReplacementsReachSubscribersOncePerChangeWithinASecond() throws Exception {
    Path file = dir.resolve("smarthost.env");
    replace(file, env(2500));
    EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(file);
    BlockingQueue<SmarthostChange> changes = new LinkedBlockingQueue<>();
    AutoCloseable subscription = resolver.subscribe(changes::add);
    assertThat(resolver.watching()).isTrue();

    for (int i = 1; i <= 20; i++) {
      long start = System.nanoTime();
      replace(file, env(2500 + i));
      SmarthostChange change = changes.poll(1, TimeUnit.SECONDS);
      assertThat(change).as("change %d within 1 s", i).isNotNull();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(change.isFailure()).isFalse();
      assertThat(change.current().map(SmarthostSettings::port)).contains(2500 + i);
    }
    // A new mtime with the same content is not a change.
    Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5_000));
    replace(file, env(2520));
    assertThat(changes.poll(600, TimeUnit.MILLISECONDS)).isNull();

    // A broken file is reported once and keeps the settings.
    replace(file, env(2520) + "SMTP_ENCRYPTION=ssl\n");
    SmarthostChange failed = changes.poll(1, TimeUnit.SECONDS);
    assertThat(failed).isNotNull();
    assertThat(failed.isFailure()).isTrue();
    assertThat(failed.current().map(SmarthostSettings::port)).contains(2520);
    assertThat(changes.poll(600, TimeUnit.MILLISECONDS)).isNull();

    subscription.close();
    assertThat(resolver.watching()).isFalse();
    assertThat(watchThreadAlive()).isFalse();
    replace(file, env(2600));
    assertThat(changes.poll(500, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void theLastUnsubscribeStopsTheThread() throws Exception {
    Path file = dir.resolve("smarthost.env");
    replace(file, env(25));
    EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(file);
    AutoCloseable a = resolver.subscribe(c -> {});
    AutoCloseable b = resolver.subscribe(c -> {});
    a.close();
    assertThat(resolver.watching()).isTrue();
    b.close();
    assertThat(resolver.watching()).isFalse();
  }

  @Test
  void mailInstanceResolverFollowsTheInstanceWhenItMoves() throws Exception {
    Path file = dir.resolve("mail-instances.properties");
    replace(file, "mail1.host=10.5.4.1\nmail1.port=10587\n");
    MailInstanceSmarthostResolver resolver =
        MailInstanceSmarthostResolver.builder(FileMailInstanceDirectory.of(file))
            .instance("mail1")
            .build();
    assertThat(resolver.resolve().orElseThrow().host()).isEqualTo("10.5.4.1");
    BlockingQueue<SmarthostChange> changes = new LinkedBlockingQueue<>();
    try (AutoCloseable s = resolver.subscribe(changes::add)) {
      replace(file, "mail1.host=10.5.4.2\nmail1.port=10587\n");
      SmarthostChange moved = changes.poll(1, TimeUnit.SECONDS);
      assertThat(moved).isNotNull();
      assertThat(moved.previous().map(SmarthostSettings::host)).contains("10.5.4.1");
      assertThat(moved.current().map(SmarthostSettings::host)).contains("10.5.4.2");
      assertThat(resolver.resolve().orElseThrow().host()).isEqualTo("10.5.4.2");

      replace(file, "mail2.host=10.5.4.3\n");
      SmarthostChange gone = changes.poll(1, TimeUnit.SECONDS);
      assertThat(gone).isNotNull();
      assertThat(gone.isFailure()).isTrue();
      assertThat(gone.error().orElseThrow().getMessage())
          .contains("mail1 is not registered; registered: mail2");
      assertThat(gone.current().map(SmarthostSettings::host)).contains("10.5.4.2");
    }
    assertThat(watchThreadAlive()).isFalse();
  }
}
