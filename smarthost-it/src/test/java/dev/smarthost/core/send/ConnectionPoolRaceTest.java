package dev.smarthost.core.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Session;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Security review, item 11: a connection given back while the pool closes must be closed, not put
 * into the idle list that close() has just emptied (where nothing would ever close it). The race is
 * made deterministic by holding the pool's idle-list lock: release() blocks on it after deciding,
 * close() runs (the lock is reentrant for this thread), then release() goes on.
 */
@Timeout(60)
class ConnectionPoolRaceTest {

  @Test
  void aConnectionReleasedWhileThePoolClosesIsClosed() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      SmarthostSettings settings =
          SmarthostSettings.builder()
              .host("127.0.0.1")
              .port(server.port())
              .encryption(Encryption.NONE)
              .build();
      Session session = new SmarthostSessionFactory(server.smtpOptions()).session(settings);
      ConnectionPool pool =
          new ConnectionPool(
              1, Duration.ofMinutes(5), 100, Duration.ofMinutes(1), Duration.ofSeconds(1), s -> {});
      ConnectionPool.Connection c = pool.acquire(session, settings, Duration.ofSeconds(5), t -> {});
      Field idle = ConnectionPool.class.getDeclaredField("idle");
      idle.setAccessible(true);
      Object lock = idle.get(pool);
      Thread releaser = new Thread(() -> pool.release(c, true), "releaser");
      synchronized (lock) {
        releaser.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (releaser.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
          Thread.sleep(1);
        }
        assertThat(releaser.getState()).isEqualTo(Thread.State.BLOCKED);
        pool.close();
      }
      releaser.join(10_000);
      assertThat(releaser.isAlive()).isFalse();
      assertThat(pool.open()).isZero();
      assertThat(c.transport.isConnected()).as("the released connection").isFalse();
    }
  }
}
