package dev.smarthost.core.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class EnvFileSmarthostResolverTest {
  @TempDir Path dir;

  private static String file(String host, int port) {
    return "SMTP_ENABLED=1\nSMTP_HOST=" + host + "\nSMTP_PORT=" + port + "\n";
  }

  private static SmarthostSettings settings(String host, int port) {
    return SmarthostSettings.builder().host(host).port(port).build();
  }

  @Test
  void rereadsOnlyWhenTheFileChanged() throws IOException {
    Path env = dir.resolve("smarthost.env");
    Files.writeString(env, file("a.example", 587));
    EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(env);
    Optional<SmarthostSettings> first = resolver.resolve();
    FileTime mtime = Files.getLastModifiedTime(env);

    // Same size, same mtime, same inode: the resolver must not notice (it does not read).
    Files.writeString(env, file("b.example", 587));
    Files.setLastModifiedTime(env, mtime);
    assertThat(resolver.resolve()).isSameAs(first);

    // A real change (new mtime) is picked up.
    Files.setLastModifiedTime(env, FileTime.fromMillis(mtime.toMillis() + 1000));
    assertThat(resolver.resolve()).contains(settings("b.example", 587));
  }

  @Test
  void brokenFileKeepsLastGoodSettingsWithoutSubscribers() throws Exception {
    Path env = dir.resolve("smarthost.env");
    replace(env, file("a.example", 587));
    EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(env);
    assertThat(resolver.resolve()).contains(settings("a.example", 587));
    replace(env, file("a.example", 70000) + "SMTP_USERNAME=u\nSMTP_PASSWORD=hunter2\n");
    assertThat(resolver.resolve()).contains(settings("a.example", 587));
    Files.delete(env);
    assertThat(resolver.resolve()).contains(settings("a.example", 587));
    replace(env, file("b.example", 25));
    assertThat(resolver.resolve()).contains(settings("b.example", 25));
  }

  @Test
  @Timeout(30)
  void brokenFileKeepsLastGoodSettingsAndTellsSubscribers() throws Exception {
    Path env = dir.resolve("smarthost.env");
    replace(env, file("a.example", 587));
    EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(env);
    BlockingQueue<SmarthostChange> changes = new LinkedBlockingQueue<>();
    AutoCloseable subscription = resolver.subscribe(changes::add);
    assertThat(resolver.resolve()).contains(settings("a.example", 587));

    replace(env, file("a.example", 70000) + "SMTP_USERNAME=u\nSMTP_PASSWORD=hunter2\n");
    SmarthostChange failed = changes.poll(2, TimeUnit.SECONDS);
    assertThat(failed).isNotNull();
    assertThat(failed.isFailure()).isTrue();
    assertThat(failed.current()).contains(settings("a.example", 587));
    assertThat(failed.error().orElseThrow().getMessage())
        .contains("line 3, SMTP_PORT")
        .doesNotContain("hunter2");
    assertThat(resolver.resolve()).contains(settings("a.example", 587));

    Files.delete(env);
    assertThat(changes.poll(2, TimeUnit.SECONDS).isFailure()).isTrue();
    assertThat(resolver.resolve()).contains(settings("a.example", 587));

    replace(env, file("b.example", 25));
    SmarthostChange updated = changes.poll(2, TimeUnit.SECONDS);
    assertThat(updated.isFailure()).isFalse();
    assertThat(updated.previous()).contains(settings("a.example", 587));
    assertThat(updated.current()).contains(settings("b.example", 25));
    assertThat(resolver.resolve()).contains(settings("b.example", 25));

    subscription.close();
    replace(env, "SMTP_ENABLED=\n");
    assertThat(resolver.resolve()).isEmpty();
    assertThat(changes).isEmpty();
  }

  @Test
  @Timeout(60)
  void atomicReplacementWhileReadingNeverYieldsHalfASettings() throws Exception {
    Path env = dir.resolve("smarthost.env");
    // Two versions of different sizes; readers must only ever see one or the other.
    String a =
        file("a.example", 587) + "SMTP_USERNAME=alice\nSMTP_PASSWORD=" + "x".repeat(500) + "\n";
    String b = file("bb.example", 2525) + "SMTP_USERNAME=bob\nSMTP_PASSWORD=y\n";
    SmarthostSettings sa =
        settings("a.example", 587).toBuilder().credentials("alice", "x".repeat(500)).build();
    SmarthostSettings sb = settings("bb.example", 2525).toBuilder().credentials("bob", "y").build();
    replace(env, a);
    EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(env);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<Integer> writer =
          pool.submit(
              () -> {
                int writes = 0;
                while (!stop.get() && writes < 2000) {
                  replace(env, writes % 2 == 0 ? b : a);
                  writes++;
                }
                return writes;
              });
      List<Future<Set<SmarthostSettings>>> readers =
          List.of(pool.submit(() -> read(resolver, stop)), pool.submit(() -> read(resolver, stop)));
      int writes = writer.get(50, TimeUnit.SECONDS);
      stop.set(true);
      assertThat(writes).isEqualTo(2000);
      for (Future<Set<SmarthostSettings>> reader : readers) {
        assertThat(reader.get(10, TimeUnit.SECONDS)).isSubsetOf(sa, sb).isNotEmpty();
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static Set<SmarthostSettings> read(
      EnvFileSmarthostResolver resolver, AtomicBoolean stop) {
    Set<SmarthostSettings> seen = new java.util.HashSet<>();
    while (!stop.get()) {
      seen.add(resolver.resolve().orElseThrow());
    }
    return seen;
  }

  /** What the cluster's writer does: write a temporary file, then rename it over the old one. */
  static void replace(Path target, String content) throws IOException {
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
