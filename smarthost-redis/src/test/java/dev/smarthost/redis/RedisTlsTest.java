package dev.smarthost.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.testkit.internal.Certificates;
import dev.smarthost.testsupport.RedisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/**
 * {@code rediss://} means TLS with the certificate chain and host name verified, never clear text
 * (before the fix, {@code rediss://default:pw@host} sent {@code AUTH default pw} in clear to a
 * plain listener); any scheme but redis and rediss is refused.
 */
@Timeout(60)
class RedisTlsTest {
  private static final String PASSWORD = "redis-Pässwörd-tls";
  private static RedisServer redis;
  private static Certificates ca;
  private static TlsTerminator tls;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    try (Jedis jedis = redis.client()) {
      jedis.hset(
          RedisSmarthostResolver.DEFAULT_KEY,
          Map.of("enabled", "1", "host", "smtp.example.org", "port", "587"));
    }
    ca = Certificates.newAuthority("smarthost redis test CA");
    Instant now = Instant.now();
    tls =
        new TlsTerminator(
            ca.serverContext(
                Certificates.LOOPBACK_NAMES, now.minusSeconds(60), now.plusSeconds(3600)),
            redis.uri().getPort());
  }

  @AfterAll
  static void stop() throws Exception {
    tls.close();
    redis.close();
  }

  @Test
  void theOutboxWorksOverVerifiedTls() {
    try (RedisOutbox outbox =
        RedisOutbox.builder(URI.create("rediss://localhost:" + tls.port()))
            .trustStore(ca.trustStore())
            .stream("tls/outbox")
            .build()) {
      String id =
          outbox.add(
              "Subject: over TLS\r\n\r\nbody\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII),
              java.util.List.of("admin@example.org"));
      assertThat(outbox.pending()).extracting(e -> e.id()).containsExactly(id);
      assertThat(outbox.claimDue(Instant.now(), 1)).extracting(e -> e.id()).containsExactly(id);
      assertThat(new String(outbox.content(id), java.nio.charset.StandardCharsets.US_ASCII))
          .startsWith("Subject: over TLS");
      outbox.delivered(id);
      assertThat(outbox.pendingCount()).isZero();
    }
    // without the CA: the handshake fails, nothing is stored in clear text
    try (RedisOutbox untrusted =
        RedisOutbox.builder(URI.create("rediss://localhost:" + tls.port())).stream("tls/other")
            .build()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> untrusted.add(new byte[] {1}, java.util.List.of("a@example.org")))
          .isInstanceOf(dev.smarthost.SmarthostOutboxException.class)
          .hasMessageContaining("nothing was kept");
    }
    try (Jedis jedis = redis.client()) {
      assertThat(jedis.exists("tls/other")).isFalse();
    }
  }

  @Test
  void redissReadsThroughVerifiedTls() {
    try (RedisSmarthostResolver r =
        RedisSmarthostResolver.builder(URI.create("rediss://localhost:" + tls.port()))
            .trustStore(ca.trustStore())
            .build()) {
      assertThat(r.resolve())
          .hasValueSatisfying(s -> assertThat(s.host()).isEqualTo("smtp.example.org"));
      assertThat(r.toString()).contains("rediss://localhost:" + tls.port());
    }
    try (RedisMailInstanceDirectory d =
        RedisMailInstanceDirectory.builder(URI.create("rediss://127.0.0.1:" + tls.port()))
            .trustStore(ca.trustStore())
            .build()) {
      assertThat(d.instances()).isEmpty();
    }
    RedisSmarthostStore.create(URI.create("rediss://localhost:" + tls.port()), ca.trustStore())
        .disable();
    try (Jedis jedis = redis.client()) {
      assertThat(jedis.hget(RedisSmarthostResolver.DEFAULT_KEY, "enabled")).isEqualTo("0");
      jedis.hset(RedisSmarthostResolver.DEFAULT_KEY, "enabled", "1");
    }
  }

  @Test
  void anUntrustedCertificateIsRefused() {
    try (RedisSmarthostResolver r =
        RedisSmarthostResolver.create(URI.create("rediss://localhost:" + tls.port()))) {
      assertThatThrownBy(r::resolve)
          .isInstanceOf(SmarthostConfigurationException.class)
          .hasMessageContaining("rediss://");
    }
  }

  @Test
  void aNameTheCertificateDoesNotCoverIsRefused() throws Exception {
    Instant now = Instant.now();
    try (TlsTerminator wrongName =
        new TlsTerminator(
            ca.serverContext(
                java.util.List.of("redis.example.org"),
                now.minusSeconds(60),
                now.plusSeconds(3600)),
            redis.uri().getPort())) {
      try (RedisSmarthostResolver r =
          RedisSmarthostResolver.builder(URI.create("rediss://localhost:" + wrongName.port()))
              .trustStore(ca.trustStore())
              .build()) {
        assertThatThrownBy(r::resolve).isInstanceOf(SmarthostConfigurationException.class);
      }
    }
  }

  @Test
  void redissToAPlainListenerNeverSendsTheCommandOrThePassword() throws Exception {
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<byte[]> received =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = plain.accept()) {
                  s.setSoTimeout(2000);
                  return readSome(s.getInputStream());
                } catch (IOException e) {
                  return new byte[0];
                }
              });
      try (RedisSmarthostResolver r =
          RedisSmarthostResolver.builder(
                  URI.create("rediss://default:" + PASSWORD + "@127.0.0.1:" + plain.getLocalPort()))
              .timeout(Duration.ofSeconds(1))
              .build()) {
        assertThatThrownBy(r::resolve)
            .isInstanceOf(SmarthostConfigurationException.class)
            .hasMessageContaining("rediss://")
            .hasMessageNotContaining(PASSWORD);
      }
      byte[] bytes = received.get(10, TimeUnit.SECONDS);
      assertThat(bytes).isNotEmpty();
      assertThat(bytes[0]).as("a TLS handshake record").isEqualTo((byte) 0x16);
      String text = new String(bytes, StandardCharsets.ISO_8859_1);
      assertThat(text).doesNotContain("AUTH").doesNotContain("default");
      assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContain(PASSWORD);
    }
  }

  @Test
  void anyOtherSchemeIsRefusedNamingTheUri() {
    for (String uri : new String[] {"http://127.0.0.1:6379", "redis+tls://127.0.0.1:1", "x:y"}) {
      assertThatThrownBy(() -> RedisSmarthostResolver.create(URI.create(uri)))
          .as(uri)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("uri: the scheme must be redis or rediss");
      assertThatThrownBy(() -> RedisSmarthostStore.create(URI.create(uri)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> RedisMailInstanceDirectory.create(URI.create(uri)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static byte[] readSome(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      int n;
      while (out.size() < 4096 && (n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
      }
    } catch (java.net.SocketTimeoutException e) {
      // read what came
    }
    return out.toByteArray();
  }
}
