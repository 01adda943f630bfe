package dev.smarthost.spring;

import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.SmtpConnectionValidator;
import dev.smarthost.core.ValidationResult;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the smarthost ("smarthost" in the health endpoint): the connection check of {@link
 * SmtpConnectionValidator} with a short deadline, reused for a while. UP with the server's greeting
 * and TLS details; DOWN with the failure kind, the reply and the hint. E-mail switched off is UP
 * with {@code enabled=false}. Never shows a credential.
 */
public final class SmarthostHealthIndicator implements HealthIndicator {
  private final SmarthostResolver resolver;
  private final SmtpConnectionValidator validator;
  private final Duration cacheFor;
  private @Nullable Health cached;
  private long cachedAtNanos;

  /**
   * Creates the indicator.
   *
   * @param resolver where the settings come from
   * @param validator the check, with its deadline
   * @param cacheFor how long a result is reused
   */
  public SmarthostHealthIndicator(
      SmarthostResolver resolver, SmtpConnectionValidator validator, Duration cacheFor) {
    this.resolver = resolver;
    this.validator = validator;
    this.cacheFor = cacheFor;
  }

  @Override
  public synchronized Health health() {
    long now = System.nanoTime();
    Health c = cached;
    if (c != null && now - cachedAtNanos < cacheFor.toNanos()) {
      return c;
    }
    c = check();
    cached = c;
    cachedAtNanos = System.nanoTime();
    return c;
  }

  private Health check() {
    Optional<SmarthostSettings> settings;
    try {
      settings = resolver.resolve();
    } catch (SmarthostConfigurationException e) {
      return Health.down().withDetail("configuration", e.getMessage()).build();
    }
    if (settings.isEmpty()) {
      return Health.up().withDetail("enabled", false).build();
    }
    SmarthostSettings s = settings.get();
    ValidationResult r = validator.validate(s);
    Health.Builder b = r.ok() ? Health.up() : Health.down();
    b.withDetail("enabled", true)
        .withDetail("server", s.authority())
        .withDetail("encryption", s.encryption().configValue())
        .withDetail("checkMillis", r.total().toMillis());
    r.greeting().ifPresent(g -> b.withDetail("greeting", g));
    r.tls().ifPresent(t -> b.withDetail("tls", t.protocol() + " " + t.cipherSuite()));
    r.failure().ifPresent(f -> failure(b, f));
    return b.build();
  }

  private static void failure(Health.Builder b, SmtpFailure f) {
    b.withDetail("kind", f.kind().name()).withDetail("hint", f.hint());
    f.replyCode().ifPresent(code -> b.withDetail("code", code));
    f.reply().ifPresent(reply -> b.withDetail("reply", reply));
  }
}
