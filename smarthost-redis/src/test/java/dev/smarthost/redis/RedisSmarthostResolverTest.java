package dev.smarthost.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.settings.MailInstance;
import dev.smarthost.core.settings.MailInstanceSmarthostResolver;
import dev.smarthost.testsupport.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

@Timeout(60)
class RedisSmarthostResolverTest {
  private static final String KEY = RedisSmarthostResolver.DEFAULT_KEY;
  private static final String CHANNEL = RedisSmarthostResolver.DEFAULT_CHANNEL;
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void empty() {
    try (Jedis jedis = redis.client()) {
      jedis.flushAll();
    }
  }

  /**
   * Replaces the hash in one transaction, as the cluster does: a subscriber that re-reads in
   * between must not see it empty (it would rightly report e-mail switched off; this raced once in
   * CI).
   */
  private static void write(Map<String, String> fields) {
    try (Jedis jedis = redis.client()) {
      redis.clients.jedis.Transaction t = jedis.multi();
      t.del(KEY);
      t.hset(KEY, fields);
      t.exec();
    }
  }

  private static void publishChange() {
    try (Jedis jedis = redis.client()) {
      jedis.publish(CHANNEL, "{\"key\":\"cluster/smarthost\"}");
    }
  }

  private static RedisSmarthostResolver resolver() {
    return RedisSmarthostResolver.builder(redis.uri())
        .reconnectDelay(Duration.ofMillis(200))
        .build();
  }

  @Test
  void absentFieldsTakeTheClustersDefaults() {
    write(Map.of("enabled", "1", "host", "smtp.example.org"));
    try (RedisSmarthostResolver r = resolver()) {
      assertThat(r.resolve())
          .contains(
              SmarthostSettings.builder()
                  .host("smtp.example.org")
                  .port(587)
                  .encryption(Encryption.STARTTLS)
                  .verifyTls(true)
                  .build());
    }
    write(Map.of("host", "smtp.example.org"));
    try (RedisSmarthostResolver r = resolver()) {
      assertThat(r.resolve()).isEmpty(); // enabled absent: disabled
    }
  }

  @Test
  void allFieldsWithAUtf8Password() {
    write(
        Map.of(
            "enabled",
            "1",
            "host",
            "2001:db8::25",
            "port",
            "465",
            "encrypt_smtp",
            "tls",
            "tls_verify",
            "0",
            "username",
            "app",
            "password",
            "Pässwörd-密码 =#"));
    try (RedisSmarthostResolver r = resolver()) {
      assertThat(r.resolve())
          .contains(
              SmarthostSettings.builder()
                  .host("2001:db8::25")
                  .port(465)
                  .encryption(Encryption.TLS)
                  .verifyTls(false)
                  .credentials("app", "Pässwörd-密码 =#")
                  .build());
    }
  }

  static Stream<Arguments> badFields() {
    return Stream.of(
        Arguments.of("port", "abc", "'abc' is not a number"),
        Arguments.of("port", "70000", "'70000' is not a port (1–65535)"),
        Arguments.of("encrypt_smtp", "ssl", "'ssl' is not one of none, starttls, tls"),
        Arguments.of("tls_verify", "yes", "'yes' is not 1 or 0"),
        Arguments.of("enabled", "true", "'true' is not 1 or 0"),
        Arguments.of("host", "smtp example", "must not contain spaces, but was 'smtp example'"),
        Arguments.of("host", "", "required when enabled=1"),
        Arguments.of("password", "hunter2", "required when password is set"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("badFields")
  void badFieldValuesNameKeyAndField(String field, String value, String problem) {
    java.util.HashMap<String, String> fields =
        new java.util.HashMap<>(Map.of("enabled", "1", "host", "h"));
    fields.put(field, value);
    write(fields);
    try (RedisSmarthostResolver r = resolver()) {
      assertThatThrownBy(r::resolve)
          .isInstanceOfSatisfying(
              SmarthostConfigurationException.class,
              e -> {
                assertThat(e.source()).isEqualTo("redis " + KEY);
                assertThat(e.key()).contains(field.equals("password") ? "username" : field);
                assertThat(e.problem()).isEqualTo(problem);
                assertThat(e.getMessage()).doesNotContain("hunter2");
              });
    }
  }

  @Test
  void aPublishedChangeReachesASubscriberWithinASecond() throws Exception {
    write(Map.of("enabled", "1", "host", "a.example"));
    try (RedisSmarthostResolver r = resolver()) {
      assertThat(r.resolve().orElseThrow().host()).isEqualTo("a.example");
      BlockingQueue<SmarthostChange> changes = new LinkedBlockingQueue<>();
      r.subscribe(changes::add);
      write(Map.of("enabled", "1", "host", "b.example", "port", "2525"));
      long start = System.nanoTime();
      publishChange();
      SmarthostChange change = changes.poll(1, TimeUnit.SECONDS);
      assertThat(change).isNotNull();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(change.current().map(SmarthostSettings::host)).contains("b.example");
      assertThat(r.resolve().orElseThrow().port()).isEqualTo(2525);

      // Broken values: subscribers hear of it once, resolve() keeps the last good settings.
      write(Map.of("enabled", "1", "host", "b.example", "port", "x"));
      publishChange();
      publishChange();
      SmarthostChange failed = changes.poll(1, TimeUnit.SECONDS);
      assertThat(failed.isFailure()).isTrue();
      assertThat(changes.poll(300, TimeUnit.MILLISECONDS)).isNull();
      assertThat(r.resolve().orElseThrow().port()).isEqualTo(2525);

      // Switched off.
      write(Map.of("enabled", "0", "host", "b.example"));
      publishChange();
      assertThat(changes.poll(1, TimeUnit.SECONDS).current()).isEmpty();
      assertThat(r.resolve()).isEmpty();
    }
  }

  @Test
  void survivesARedisRestartAndPicksUpAChangeMadeMeanwhile() throws Exception {
    write(Map.of("enabled", "1", "host", "before.example"));
    PrintStream originalErr = System.err;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    try (RedisSmarthostResolver r = resolver()) {
      BlockingQueue<SmarthostChange> changes = new LinkedBlockingQueue<>();
      r.subscribe(changes::add);
      assertThat(r.resolve().orElseThrow().host()).isEqualTo("before.example");
      System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
      redis.kill();
      Thread.sleep(1_500); // several reconnect attempts fail meanwhile
      assertThat(r.resolve().orElseThrow().host()).isEqualTo("before.example");
      assertThat(r.redisDown()).isTrue();

      // Back with a change made while it was down and announced to nobody: only the re-read after
      // the reconnect can find it.
      redis.restartWith(KEY, Map.of("enabled", "1", "host", "after.example"));
      SmarthostChange change = changes.poll(5, TimeUnit.SECONDS);
      assertThat(change).as("change picked up after reconnect").isNotNull();
      assertThat(change.current().map(SmarthostSettings::host)).contains("after.example");
      assertThat(r.redisDown()).isFalse();
    } finally {
      System.setErr(originalErr);
    }
    String warnings = log.toString(StandardCharsets.UTF_8);
    assertThat(warnings.lines().filter(l -> l.contains("unreachable")).count())
        .as(warnings)
        .isEqualTo(1);
  }

  @Test
  void neverReachableIsAClearError() throws Exception {
    int closed; // a port this test bound and closed: nothing listens there
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    try (RedisSmarthostResolver r =
        RedisSmarthostResolver.builder(java.net.URI.create("redis://127.0.0.1:" + closed))
            .timeout(Duration.ofMillis(500))
            .build()) {
      assertThatThrownBy(r::resolve)
          .isInstanceOf(SmarthostConfigurationException.class)
          .hasMessageContaining(
              "redis://127.0.0.1:" + closed + " cluster/smarthost: Redis is unreachable");
    }
  }

  @Test
  void mailInstanceDirectoryScansAndTheResolverFollowsAMove() throws Exception {
    try (Jedis jedis = redis.client()) {
      jedis.hset(
          "module/mail1/srv/tcp/submission",
          Map.of(
              "host",
              "10.5.4.1",
              "port",
              "10587",
              "node",
              "1",
              "user_domain",
              "example.org",
              "mail_hostname",
              "mail.example.org",
              "module_uuid",
              "u1"));
      jedis.hset("module/other1/srv/http", Map.of("host", "x"));
      jedis.set("unrelated", "1");
    }
    try (RedisMailInstanceDirectory directory =
        RedisMailInstanceDirectory.builder(redis.uri())
            .refreshInterval(Duration.ofMillis(100))
            .build()) {
      assertThat(directory.instances())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.id()).isEqualTo("mail1");
                assertThat(m.host()).isEqualTo("10.5.4.1");
                assertThat(m.submissionPort()).isEqualTo(10587);
                assertThat(m.mailHostname()).contains("mail.example.org");
              });
      MailInstanceSmarthostResolver relay =
          MailInstanceSmarthostResolver.builder(directory).build();
      assertThat(relay.resolve().orElseThrow().authority()).isEqualTo("10.5.4.1:25");
      BlockingQueue<SmarthostChange> changes = new LinkedBlockingQueue<>();
      try (AutoCloseable s = relay.subscribe(changes::add)) {
        try (Jedis jedis = redis.client()) {
          jedis.hset("module/mail1/srv/tcp/submission", "host", "10.5.4.9");
        }
        SmarthostChange moved = changes.poll(2, TimeUnit.SECONDS);
        assertThat(moved).isNotNull();
        assertThat(moved.current().map(SmarthostSettings::host)).contains("10.5.4.9");
      }
    }
  }

  /** Security review, item 11: one malformed record never hides the other instances. */
  @Test
  void aMalformedMailInstanceRecordHidesNoOtherAndKeepsItsLastGoodValue() throws Exception {
    String pattern = "tenant2/*/srv/tcp/submission";
    try (Jedis jedis = redis.client()) {
      jedis.hset("tenant2/good1/srv/tcp/submission", Map.of("host", "10.6.0.1", "port", "10587"));
      jedis.hset("tenant2/good2/srv/tcp/submission", Map.of("host", "10.6.0.2", "port", "10587"));
      jedis.hset("tenant2/bad1/srv/tcp/submission", Map.of("host", "10.6.0.3", "port", "x"));
    }
    try (RedisMailInstanceDirectory directory =
        RedisMailInstanceDirectory.builder(redis.uri())
            .pattern(pattern)
            .refreshInterval(Duration.ofMillis(10))
            .build()) {
      assertThat(directory.instances())
          .extracting(MailInstance::id)
          .containsExactly("good1", "good2");
      try (Jedis jedis = redis.client()) {
        jedis.hset("tenant2/good2/srv/tcp/submission", "port", "not-a-port");
      }
      Thread.sleep(50); // past the refresh interval: the next call scans again
      assertThat(directory.instances())
          .extracting(MailInstance::id, MailInstance::submissionPort)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("good1", 10587),
              org.assertj.core.groups.Tuple.tuple("good2", 10587));
    } finally {
      try (Jedis jedis = redis.client()) {
        jedis.del(
            "tenant2/good1/srv/tcp/submission",
            "tenant2/good2/srv/tcp/submission",
            "tenant2/bad1/srv/tcp/submission");
      }
    }
  }
}
