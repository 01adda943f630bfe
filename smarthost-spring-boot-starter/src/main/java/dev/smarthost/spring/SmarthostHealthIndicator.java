package dev.smarthost.spring;

import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.SmtpFailureCodec;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.outbox.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health of the smarthost ("smarthost" in the health endpoint): the connection check of {@link
 * SmtpConnectionValidator} with a short deadline, reused for a while. UP with the server's greeting
 * and TLS details; DOWN with the failure kind, the reply and the hint. E-mail switched off is UP
 * with {@code enabled=false}. A verdict is reused for {@code smarthost.health.cache-for} (60 s) and
 * only for the settings it checked: after a change the next call checks again; {@code checkedAt}
 * (ISO-8601) says when it was made. Never shows a credential.
 */
public final class SmarthostHealthIndicator implements HealthIndicator {
  private final SmarthostResolver resolver;
  private final SmtpConnectionValidator validator;
  private final Duration cacheFor;
  private final @Nullable Outbox outbox;
  private final Duration maxPendingAge;
  private @Nullable Health cached;
  private @Nullable Object cachedFor;
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
    this(resolver, validator, cacheFor, null, Duration.ZERO);
  }

  private SmarthostHealthIndicator(
      SmarthostResolver resolver,
      SmtpConnectionValidator validator,
      Duration cacheFor,
      @Nullable Outbox outbox,
      Duration maxPendingAge) {
    this.resolver = resolver;
    this.validator = validator;
    this.cacheFor = cacheFor;
    this.outbox = outbox;
    this.maxPendingAge = maxPendingAge;
  }

  /**
   * Returns an indicator that also reports the outbox: {@code outbox.pending}, {@code
   * outbox.oldestSeconds}, {@code outbox.dead}; DOWN when the oldest pending entry waits longer
   * than {@code maxPendingAge} (read fresh on every call, never cached).
   *
   * @param outbox the outbox
   * @param maxPendingAge the longest a pending entry may wait while health is UP
   * @return the new indicator
   */
  public SmarthostHealthIndicator withOutbox(Outbox outbox, Duration maxPendingAge) {
    return new SmarthostHealthIndicator(
        resolver, validator, cacheFor, java.util.Objects.requireNonNull(outbox), maxPendingAge);
  }

  @Override
  public synchronized Health health() {
    long now = System.nanoTime();
    // the verdict belongs to the settings it checked: other settings (or none) are checked anew
    Object current;
    try {
      current = resolver.resolve();
    } catch (SmarthostConfigurationException e) {
      current = e.getMessage();
    }
    Health c = cached;
    if (c == null
        || !java.util.Objects.equals(current, cachedFor)
        || now - cachedAtNanos >= cacheFor.toNanos()) {
      Health checked = check();
      c =
          Health.status(checked.getStatus())
              .withDetails(checked.getDetails())
              .withDetail("checkedAt", Instant.now().toString()) // how old a reused verdict is
              .build();
      cached = c;
      cachedFor = current;
      cachedAtNanos = System.nanoTime();
    }
    return outbox == null ? c : withOutbox(c, outbox);
  }

  private Health withOutbox(Health connection, Outbox o) {
    Duration oldest =
        o.oldestPending().map(t -> Duration.between(t, Instant.now())).orElse(Duration.ZERO);
    boolean stuck = oldest.compareTo(maxPendingAge) > 0;
    Health.Builder b = stuck ? Health.down() : Health.status(connection.getStatus());
    b.withDetails(connection.getDetails())
        .withDetail("outbox.pending", o.pendingCount())
        .withDetail("outbox.oldestSeconds", oldest.toSeconds())
        .withDetail("outbox.dead", o.deadCount());
    if (stuck) {
      b.withDetail(
          "outbox.hint",
          "the oldest pending message has waited longer than " + maxPendingAge + "; see kind/hint");
    }
    return b.build();
  }

  private Health check() {
    Optional<SmarthostSettings> settings;
    try {
      settings = resolver.resolve();
    } catch (SmarthostConfigurationException e) {
      return Health.down().withDetail("configuration", String.valueOf(e.getMessage())).build();
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
    // The codec's fields, the code as a number and only with a reply, the hint in Spring terms.
    Map<String, String> fields = SmtpFailureCodec.REPORT.encode(f);
    // the codec always writes the kind
    b.withDetail("kind", Objects.requireNonNull(fields.get("kind"), "kind"))
        .withDetail("hint", SpringHints.hint(f));
    f.replyCode().ifPresent(code -> b.withDetail("code", code));
    f.reply().ifPresent(reply -> b.withDetail("reply", reply));
    f.provider().ifPresent(provider -> b.withDetail("provider", provider));
  }
}
