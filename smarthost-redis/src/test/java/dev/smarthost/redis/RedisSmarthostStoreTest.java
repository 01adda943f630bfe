package dev.smarthost.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostSettings;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

@Timeout(60)
class RedisSmarthostStoreTest {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @Test
  void savedSettingsReachASubscribedResolver() throws Exception {
    RedisSmarthostStore store = RedisSmarthostStore.create(redis.uri());
    SmarthostSettings first = SmarthostSettings.builder().host("a.example").build();
    store.save(first);
    try (RedisSmarthostResolver resolver =
        RedisSmarthostResolver.builder(redis.uri())
            .reconnectDelay(Duration.ofMillis(100))
            .build()) {
      assertThat(resolver.resolve()).contains(first);
      BlockingQueue<SmarthostChange> changes = new LinkedBlockingQueue<>();
      resolver.subscribe(changes::add);
      Thread.sleep(200); // the subscription is established
      SmarthostSettings second =
          SmarthostSettings.builder()
              .host("[2001:db8::25]")
              .port(465)
              .encryption(Encryption.TLS)
              .verifyTls(false)
              .credentials("app", "Pässwörd-密码 =#")
              .build();
      store.save(second);
      SmarthostChange change = changes.poll(2, TimeUnit.SECONDS);
      assertThat(change).isNotNull();
      assertThat(change.current()).contains(second);
      store.disable();
      assertThat(changes.poll(2, TimeUnit.SECONDS).current()).isEmpty();
      try (Jedis jedis = redis.client()) {
        assertThat(jedis.hget(RedisSmarthostResolver.DEFAULT_KEY, "password")).isNull();
        assertThat(jedis.hget(RedisSmarthostResolver.DEFAULT_KEY, "host"))
            .isEqualTo("2001:db8::25");
      }
    }
  }
}
