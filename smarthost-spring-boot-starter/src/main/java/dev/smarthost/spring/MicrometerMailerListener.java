package dev.smarthost.spring;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.outbox.Outbox;
import dev.smarthost.core.send.MailerListener;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import io.micrometer.core.instrument.Counter;
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
 * once, each with a description and base unit, so they exist with 0 before the first send (the
 * tagged ones for every {@link FailureKind}): counters {@code smarthost.mail.sent}, {@code
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
    // Every meter exists from the start, at 0, with its description: a dashboard or an alert on
    // failures must not wait for the first failure to find its series.
    sent();
    opened();
    for (FailureKind kind : FailureKind.values()) {
      failed(kind);
      retried(kind);
      dead(kind);
    }
    timer("success");
    timer("failure");
    Gauge.builder(
            "smarthost.connections.open",
            this,
            l -> {
              SmarthostMailer m = l.mailer.get();
              return m == null ? 0 : m.openConnections();
            })
        .description("connections to the smarthost open now")
        .baseUnit("connections")
        .register(registry);
    if (outbox.get() != null) {
      bindOutbox(registry);
    }
  }

  private Counter sent() {
    return Counter.builder("smarthost.mail.sent")
        .description("messages the smarthost accepted")
        .baseUnit("messages")
        .register(meters);
  }

  private Counter opened() {
    return Counter.builder("smarthost.connections.opened")
        .description("connections opened to the smarthost")
        .baseUnit("connections")
        .register(meters);
  }

  private Counter failed(FailureKind kind) {
    return byKind("smarthost.mail.failed", "sends that failed for good", "messages", kind);
  }

  private Counter retried(FailureKind kind) {
    return byKind(
        "smarthost.mail.retried", "attempts repeated after a temporary failure", "attempts", kind);
  }

  private Counter dead(FailureKind kind) {
    return byKind("smarthost.mail.dead", "outbox messages given up on", "messages", kind);
  }

  private Counter byKind(String name, String description, String unit, FailureKind kind) {
    return Counter.builder(name)
        .description(description + ", by failure kind")
        .baseUnit(unit)
        .tag("kind", kind.name())
        .register(meters);
  }

  private Timer timer(String outcome) {
    return Timer.builder("smarthost.mail.send")
        .description("time one send took, retries included, by outcome")
        .tag("outcome", outcome)
        .register(meters);
  }

  private void bindOutbox(MeterRegistry registry) {
    Gauge.builder("smarthost.outbox.pending", this, l -> count(l.outbox.get(), false))
        .description("messages accepted and not yet delivered")
        .baseUnit("messages")
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
        .baseUnit("messages")
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
    sent().increment();
    timer("success").record(result.duration());
  }

  @Override
  public void failed(SmarthostSendException failure, Duration duration) {
    failed(failure.kind()).increment();
    timer("failure").record(duration);
  }

  @Override
  public void retried(FailureKind kind, int attempt) {
    retried(kind).increment();
  }

  @Override
  public void connectionOpened(SmarthostSettings settings) {
    opened().increment();
  }

  @Override
  public void deadLettered(String id, List<String> recipients, SmtpFailure reason) {
    dead(reason.kind()).increment();
  }
}
