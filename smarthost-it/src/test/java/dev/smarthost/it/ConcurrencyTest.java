package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.core.settings.EnvFileSmarthostStore;
import dev.smarthost.testkit.SmarthostServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 1,000 atomic replacements of the env file while 4 threads resolve and send. */
@Timeout(180)
class ConcurrencyTest {
  @TempDir Path dir;

  @Test
  void noHalfReadSettingsAndNoLostMessage() throws Exception {
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer a =
            SmarthostServer.builder()
                .encryption(Encryption.NONE)
                .requireAuth("alice", "pw-a")
                .start();
        SmarthostServer b =
            SmarthostServer.builder()
                .encryption(Encryption.NONE)
                .requireAuth("bob", "pw-b")
                .start()) {
      EnvFileSmarthostStore store = EnvFileSmarthostStore.of(env);
      store.save(a.settings());
      EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(env);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> problem = new AtomicReference<>();
      AtomicInteger sent = new AtomicInteger();
      ConcurrentHashMap<String, String> deliveredTo = new ConcurrentHashMap<>();
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(resolver).options(a.smtpOptions()).maxConnections(4).build()) {
        Runnable worker =
            () -> {
              try {
                while (!stop.get()) {
                  var settings = resolver.resolve().orElseThrow();
                  // half a file would mix the servers: a's port with b's user, or no password
                  assertThat(settings).isIn(a.settings(), b.settings());
                  String subject = "c-" + sent.incrementAndGet();
                  SendResult r = mailer.send(MailerTest.message(subject));
                  deliveredTo.put(subject, r.authority());
                }
              } catch (Throwable t) {
                problem.compareAndSet(null, t);
              }
            };
        List<Thread> threads =
            List.of(new Thread(worker), new Thread(worker), new Thread(worker), new Thread(worker));
        threads.forEach(Thread::start);
        for (int i = 0; i < 1000; i++) {
          store.save(i % 2 == 0 ? b.settings() : a.settings());
        }
        stop.set(true);
        for (Thread t : threads) {
          t.join(60_000);
          assertThat(t.isAlive()).isFalse();
        }
      }
      assertThat(problem.get()).isNull();
      int total = deliveredTo.size();
      assertThat(total).isEqualTo(sent.get()).isGreaterThan(0);
      long toA = deliveredTo.values().stream().filter(x -> x.endsWith(":" + a.port())).count();
      assertThat(a.awaitMessages((int) toA, Duration.ofSeconds(30))).hasSize((int) toA);
      assertThat(b.awaitMessages(total - (int) toA, Duration.ofSeconds(30)))
          .hasSize(total - (int) toA);
    }
  }
}
