package dev.smarthost.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.testsupport.RedisServer;
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

  @Test
  void oauth2SettingsAreStoredInTheirFieldsAndDisableRemovesTheSecret() throws Exception {
    RedisSmarthostStore store = RedisSmarthostStore.create(redis.uri());
    store.save(
        SmarthostSettings.builder().host("old.example").credentials("app", "old-pw").build());
    SmarthostSettings oauth =
        SmarthostSettings.builder()
            .host("smtp.office365.com")
            .oauth2(
                "box@contoso.com",
                dev.smarthost.OAuth2Client.of(
                    java.net.URI.create(
                        "https://login.microsoftonline.com/contoso/oauth2/v2.0/token"),
                    "app-id",
                    "redis-Secret~Marker.9191",
                    "https://outlook.office365.com/.default"))
            .build();
    store.save(oauth);
    try (Jedis jedis = redis.client();
        RedisSmarthostResolver resolver = RedisSmarthostResolver.builder(redis.uri()).build()) {
      String key = RedisSmarthostResolver.DEFAULT_KEY;
      assertThat(jedis.hget(key, "oauth2_client_id")).isEqualTo("app-id");
      assertThat(jedis.hget(key, "oauth2_scope"))
          .isEqualTo("https://outlook.office365.com/.default");
      assertThat(jedis.hget(key, "password")).as("the old password is gone").isEqualTo("");
      assertThat(resolver.resolve()).contains(oauth);

      store.disable();
      assertThat(jedis.hget(key, "oauth2_client_secret")).isNull();
      assertThat(jedis.hget(key, "enabled")).isEqualTo("0");
      store.save(
          SmarthostSettings.builder().host("relay.example").encryption(Encryption.NONE).build());
      assertThat(jedis.hget(key, "oauth2_token_url")).as("replaced as a whole").isNull();
    }
  }
}
