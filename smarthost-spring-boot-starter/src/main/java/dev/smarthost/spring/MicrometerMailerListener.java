package dev.smarthost.spring;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.MailerListener;
import dev.smarthost.core.SendResult;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The mailer's events as Micrometer meters: counters {@code smarthost.mail.sent}, {@code
 * smarthost.mail.failed} and {@code smarthost.mail.retried} (tag {@code kind}), {@code
 * smarthost.connections.opened}, and timer {@code smarthost.mail.send}.
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
}
