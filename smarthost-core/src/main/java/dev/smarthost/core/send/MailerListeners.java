package dev.smarthost.core.send;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several listeners as one: each hears every event, whatever another one throws. */
final class MailerListeners implements MailerListener {
  private static final Logger LOG = LoggerFactory.getLogger(SmarthostMailer.class);

  private final List<MailerListener> listeners;

  MailerListeners(List<MailerListener> listeners) {
    this.listeners = List.copyOf(listeners);
  }

  private void each(Consumer<MailerListener> event) {
    for (MailerListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.warn("mailer listener {} failed; ignored", listener.getClass().getName(), e);
      }
    }
  }

  @Override
  public void sent(SendResult result) {
    each(l -> l.sent(result));
  }

  @Override
  public void failed(SmarthostSendException failure) {
    each(l -> l.failed(failure));
  }

  @Override
  public void failed(SmarthostSendException failure, Duration duration) {
    each(l -> l.failed(failure, duration));
  }

  @Override
  public void retried(FailureKind kind, int attempt) {
    each(l -> l.retried(kind, attempt));
  }

  @Override
  public void connectionOpened(SmarthostSettings settings) {
    each(l -> l.connectionOpened(settings));
  }

  @Override
  public void deadLettered(String id, List<String> recipients, SmtpFailure reason) {
    each(l -> l.deadLettered(id, recipients, reason));
  }

  @Override
  public void deadLetterFailed(
      String id, List<String> recipients, SmtpFailure reason, SmarthostOutboxException error) {
    each(l -> l.deadLetterFailed(id, recipients, reason, error));
  }
}
