package dev.smarthost.spring;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.MailerListener;
import dev.smarthost.core.Outbox;
import dev.smarthost.core.SendResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The mailer's events as Micrometer meters: counters {@code smarthost.mail.sent}, {@code
 * smarthost.mail.failed} and {@code smarthost.mail.retried} (tag {@code kind}), {@code
 * smarthost.connections.opened}, {@code smarthost.mail.dead} (an outbox entry given up, tag {@code
 * kind}), and timer {@code smarthost.mail.send}; with an outbox the gauges {@code
 * smarthost.outbox.pending}, {@code smarthost.outbox.oldest.age} (seconds) and {@code
 * smarthost.outbox.dead}.
 */
public final class MicrometerMailerListener implements MailerListener {
  private final MeterRegistry registry;

  /**
   * Creates the listener.
   *
   * @param registry where the meters go
   */
  public MicrometerMailerListener(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void sent(SendResult result) {
    registry.counter("smarthost.mail.sent").increment();
    registry.timer("smarthost.mail.send").record(result.duration());
  }

  @Override
  public void failed(SmarthostSendException failure) {
    registry.counter("smarthost.mail.failed", "kind", failure.kind().name()).increment();
  }

  @Override
  public void retried(FailureKind kind, int attempt) {
    registry.counter("smarthost.mail.retried", "kind", kind.name()).increment();
  }

  @Override
  public void connectionOpened(SmarthostSettings settings) {
    registry.counter("smarthost.connections.opened").increment();
  }

  @Override
  public void deadLettered(String id, List<String> recipients, SmtpFailure reason) {
    registry.counter("smarthost.mail.dead", "kind", reason.kind().name()).increment();
  }

  /**
   * Registers the outbox's gauges: pending entries, the oldest one's age, dead entries.
   *
   * @param registry where the gauges go
   * @param outbox the outbox
   */
  public static void bindOutbox(MeterRegistry registry, Outbox outbox) {
    Gauge.builder("smarthost.outbox.pending", outbox, Outbox::pendingCount)
        .description("messages accepted and not yet delivered")
        .register(registry);
    Gauge.builder(
            "smarthost.outbox.oldest.age",
            outbox,
            o ->
                o.oldestPending()
                    .map(t -> Duration.between(t, Instant.now()).toMillis() / 1000.0)
                    .orElse(0.0))
        .description("seconds the oldest pending message has waited")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("smarthost.outbox.dead", outbox, o -> o.dead().size())
        .description("messages given up on, with their reason")
        .register(registry);
  }
}
