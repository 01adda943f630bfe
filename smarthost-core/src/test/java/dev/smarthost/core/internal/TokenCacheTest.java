package dev.smarthost.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.OAuth2Client;
import dev.smarthost.core.oauth2.AccessToken;
import dev.smarthost.core.oauth2.OAuth2TokenException;
import dev.smarthost.core.oauth2.TokenSource;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cache's rules with a counting source (the HTTP side is tested in smarthost-it). */
@Timeout(30)
class TokenCacheTest {
  static final OAuth2Client CLIENT =
      OAuth2Client.of(URI.create("https://idp.example/token"), "id", "secret", "s");
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Hands out token-1, token-2, … with the given lifetime. */
  static final class Counting implements TokenSource {
    final AtomicInteger calls = new AtomicInteger();
    final Duration lifetime;

    Counting(Duration lifetime) {
      this.lifetime = lifetime;
    }

    @Override
    public AccessToken fetch(OAuth2Client client, Duration timeout) {
      return AccessToken.of("token-" + calls.incrementAndGet(), Instant.now().plus(lifetime));
    }
  }

  @Test
  void aFetchThatDiesWithAnErrorDoesNotWedgeTheClient() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    TokenCache cache =
        new TokenCache(
            (client, timeout) -> {
              if (calls.incrementAndGet() == 1) {
                throw new OutOfMemoryError("a 600 MiB token response"); // as seen at -Xmx128m
              }
              return AccessToken.of("recovered", Instant.now().plus(Duration.ofHours(1)));
            });
    assertThatThrownBy(() -> cache.lease(CLIENT, TIMEOUT)).isInstanceOf(OutOfMemoryError.class);
    long start = System.nanoTime();
    TokenCache.Lease next = cache.lease(CLIENT, Duration.ofSeconds(2));
    assertThat(next.token.value()).isEqualTo("recovered");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void withoutTheNimbusSdkTheHintNamesTheMissingDependency() {
    dev.smarthost.SmtpFailure f =
        FailureClassifier.classify(
            new TokenFailedException(
                new OAuth2TokenException(
                    "no SDK",
                    null,
                    0,
                    new ClassNotFoundException("com.nimbusds.oauth2.sdk.TokenRequest"))),
            FailureContext.sending(
                dev.smarthost.SmarthostSettings.builder().host("smtp.example.org").build(),
                Duration.ofSeconds(10)));
    assertThat(f.kind()).isEqualTo(dev.smarthost.FailureKind.OAUTH2_TOKEN_FAILED);
    assertThat(f.hint()).contains("com.nimbusds:oauth2-oidc-sdk").doesNotContain("firewall");
  }

  @Test
  void aTokenIsReusedUntilAQuarterOfItsLifetimeOrAMinuteBeforeItExpires() throws Exception {
    Counting hour = new Counting(Duration.ofHours(1));
    TokenCache cache = new TokenCache(hour);
    TokenCache.Lease first = cache.lease(CLIENT, TIMEOUT);
    TokenCache.Lease second = cache.lease(CLIENT, TIMEOUT);
    assertThat(first.fresh).isTrue();
    assertThat(second.fresh).isFalse();
    assertThat(second.token).isSameAs(first.token);
    assertThat(hour.calls).hasValue(1);

    Counting short1 = new Counting(Duration.ofMillis(400)); // refreshed after 300 ms
    TokenCache shortCache = new TokenCache(short1);
    shortCache.lease(CLIENT, TIMEOUT);
    Thread.sleep(350);
    assertThat(shortCache.lease(CLIENT, TIMEOUT).token.value()).isEqualTo("token-2");
  }

  @Test
  void invalidateDropsOnlyTheRejectedToken() throws Exception {
    Counting source = new Counting(Duration.ofHours(1));
    TokenCache cache = new TokenCache(source);
    AccessToken first = cache.lease(CLIENT, TIMEOUT).token;
    cache.invalidate(CLIENT, AccessToken.of("someone-elses", Instant.now()));
    assertThat(cache.lease(CLIENT, TIMEOUT).token).isSameAs(first);
    cache.invalidate(CLIENT, first);
    TokenCache.Lease replaced = cache.lease(CLIENT, TIMEOUT);
    assertThat(replaced.fresh).isTrue();
    assertThat(replaced.token.value()).isEqualTo("token-2");
  }

  @Test
  void eachClientHasItsOwnToken() throws Exception {
    Counting source = new Counting(Duration.ofHours(1));
    TokenCache cache = new TokenCache(source);
    OAuth2Client rotated =
        OAuth2Client.of(URI.create("https://idp.example/token"), "id", "new-secret", "s");
    assertThat(cache.lease(CLIENT, TIMEOUT).token.value()).isEqualTo("token-1");
    assertThat(cache.lease(rotated, TIMEOUT).token.value()).isEqualTo("token-2");
  }

  @Test
  void concurrentLeasesShareOneFetchAndItsFailure() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    TokenSource slowFailing =
        (client, timeout) -> {
          calls.incrementAndGet();
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new OAuth2TokenException("refused", "invalid_client", 401, null);
        };
    TokenCache cache = new TokenCache(slowFailing);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> leases = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      leases.add(pool.submit(() -> cache.lease(CLIENT, TIMEOUT)));
    }
    Thread.sleep(200); // all six are waiting on the one fetch
    release.countDown();
    for (Future<?> f : leases) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(OAuth2TokenException.class);
    }
    pool.shutdown();
    assertThat(calls).hasValue(1);
    // a failure is not cached: the next lease asks again
    assertThatThrownBy(() -> cache.lease(CLIENT, TIMEOUT)).isInstanceOf(IOException.class);
    assertThat(calls).hasValue(2);
  }

  @Test
  void aWaiterGivesUpAfterTheTimeoutEvenIfTheFetchHangs() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    TokenSource hanging =
        (client, timeout) -> {
          try {
            never.await(20, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IOException("late");
        };
    TokenCache cache = new TokenCache(hanging);
    Thread leader = new Thread(() -> assertThatThrownBy(() -> cache.lease(CLIENT, TIMEOUT)));
    leader.start();
    Thread.sleep(100);
    long start = System.nanoTime();
    assertThatThrownBy(() -> cache.lease(CLIENT, Duration.ofMillis(200)))
        .isInstanceOf(OAuth2TokenException.class)
        .hasMessageContaining("no access token from https://idp.example/token");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    never.countDown();
    leader.join(10_000);
  }
}
