package dev.smarthost.spring;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.MailerListener;
import dev.smarthost.core.Outbox;
import dev.smarthost.core.SendResult;
import dev.smarthost.core.SmarthostMailer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The mailer's events as Micrometer meters, bound like Spring Boot's own binders (a {@link
 * MeterBinder}: every registry Boot creates gets them, whenever it is created) and registered at
 * once, so they exist with 0 before the first send: counters {@code smarthost.mail.sent}, {@code
 * smarthost.mail.failed} and {@code smarthost.mail.retried} (tag {@code kind}), {@code
 * smarthost.connections.opened}, {@code smarthost.mail.dead} (tag {@code kind}); timer {@code
 * smarthost.mail.send} (tag {@code outcome}: {@code success} or {@code failure}); gauge {@code
 * smarthost.connections.open}; with an outbox the gauges {@code smarthost.outbox.pending}, {@code
 * smarthost.outbox.oldest.age} (seconds) and {@code smarthost.outbox.dead}.
 */
public final class MicrometerMailerListener implements MailerListener, MeterBinder {
  private final CompositeMeterRegistry meters = new CompositeMeterRegistry();
  private final Supplier<@Nullable SmarthostMailer> mailer;
  private final Supplier<@Nullable Outbox> outbox;

  /**
   * Creates the listener; nothing is recorded anywhere until it is bound to a registry.
   *
   * @param mailer the mailer, for the open-connections gauge (looked up when measured)
   * @param outbox the outbox, if any, for its gauges (looked up when measured)
   */
  public MicrometerMailerListener(
      Supplier<@Nullable SmarthostMailer> mailer, Supplier<@Nullable Outbox> outbox) {
    this.mailer = mailer;
    this.outbox = outbox;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    meters.add(registry);
    meters.counter("smarthost.mail.sent");
    meters.counter("smarthost.connections.opened");
    Timer.builder("smarthost.mail.send").tag("outcome", "success").register(meters);
    Timer.builder("smarthost.mail.send").tag("outcome", "failure").register(meters);
    Gauge.builder(
            "smarthost.connections.open",
            this,
            l -> {
              SmarthostMailer m = l.mailer.get();
              return m == null ? 0 : m.openConnections();
            })
        .description("connections to the smarthost open now")
        .register(registry);
    if (outbox.get() != null) {
      bindOutbox(registry);
    }
  }

  private void bindOutbox(MeterRegistry registry) {
    Gauge.builder("smarthost.outbox.pending", this, l -> count(l.outbox.get(), false))
        .description("messages accepted and not yet delivered")
        .register(registry);
    Gauge.builder(
            "smarthost.outbox.oldest.age",
            this,
            l -> {
              Outbox o = l.outbox.get();
              return o == null
                  ? 0.0
                  : o.oldestPending()
                      .map(t -> Duration.between(t, Instant.now()).toMillis() / 1000.0)
                      .orElse(0.0);
            })
        .description("seconds the oldest pending message has waited")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("smarthost.outbox.dead", this, l -> count(l.outbox.get(), true))
        .description("messages given up on, with their reason")
        .register(registry);
  }

  private static double count(@Nullable Outbox o, boolean dead) {
    if (o == null) {
      return 0;
    }
    return dead ? o.deadCount() : o.pendingCount();
  }

  @Override
  public void sent(SendResult result) {
    meters.counter("smarthost.mail.sent").increment();
    meters.timer("smarthost.mail.send", "outcome", "success").record(result.duration());
  }

  @Override
  public void failed(SmarthostSendException failure, Duration duration) {
    meters.counter("smarthost.mail.failed", "kind", failure.kind().name()).increment();
    meters.timer("smarthost.mail.send", "outcome", "failure").record(duration);
  }

  @Override
  public void retried(FailureKind kind, int attempt) {
    meters.counter("smarthost.mail.retried", "kind", kind.name()).increment();
  }

  @Override
  public void connectionOpened(SmarthostSettings settings) {
    meters.counter("smarthost.connections.opened").increment();
  }

  @Override
  public void deadLettered(String id, List<String> recipients, SmtpFailure reason) {
    meters.counter("smarthost.mail.dead", "kind", reason.kind().name()).increment();
  }
}
