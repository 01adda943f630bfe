package dev.smarthost.core.send;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.outbox.Outbox;

/**
 * Hooks for metrics: counts of sent, failed and retried messages and opened connections. Methods
 * are called on the sending thread and must return quickly; an exception thrown by one is logged
 * and ignored. No metrics library is required.
 */
public interface MailerListener {
  /** A listener that does nothing. */
  MailerListener NONE = new MailerListener() {};

  /**
   * Returns one listener that passes every event to each of these, in order; one that throws is
   * logged and does not keep the others from hearing the event.
   *
   * @param listeners the listeners (e.g. your own and the starter's meters)
   * @return the combined listener; {@link #NONE} for none, the listener itself for one
   */
  static MailerListener all(java.util.List<? extends MailerListener> listeners) {
    if (listeners.isEmpty()) {
      return NONE;
    }
    if (listeners.size() == 1) {
      return listeners.get(0);
    }
    return new MailerListeners(java.util.List.copyOf(listeners));
  }

  /**
   * A message was accepted (perhaps only for some recipients).
   *
   * @param result what was accepted
   */
  default void sent(SendResult result) {}

  /**
   * A message could not be delivered; the caller gets the same exception.
   *
   * @param failure what failed
   */
  default void failed(SmarthostSendException failure) {}

  /**
   * A message was not delivered, after this long (all attempts). Calls {@link
   * #failed(SmarthostSendException)} unless overridden.
   *
   * @param failure the classified failure
   * @param duration from the call to the failure
   */
  default void failed(SmarthostSendException failure, java.time.Duration duration) {
    failed(failure);
  }

  /**
   * A temporary failure; the message is tried again.
   *
   * @param kind what failed
   * @param attempt the attempt that failed, from 1
   */
  default void retried(FailureKind kind, int attempt) {}

  /**
   * A new connection to the smarthost was opened (and authenticated).
   *
   * @param settings where it goes ({@code toString()} masks the password)
   */
  default void connectionOpened(SmarthostSettings settings) {}

  /**
   * An outbox entry was given up for these recipients (a permanent failure, or temporary failures
   * past the maximum age); it is in {@link Outbox#dead()} with the reason.
   *
   * @param id the entry
   * @param recipients the recipients given up on
   * @param reason why
   */
  default void deadLettered(
      String id, java.util.List<String> recipients, dev.smarthost.SmtpFailure reason) {}

  /**
   * An outbox entry was to be given up for these recipients, but its dead entry could not be
   * written (a full or failing disk, Redis away): it is still pending, not in {@link
   * Outbox#dead()}, and is tried again after a backoff.
   *
   * @param id the entry
   * @param recipients the recipients that were to be given up on
   * @param reason why they were to be given up on
   * @param error why the dead entry could not be written
   */
  default void deadLetterFailed(
      String id,
      java.util.List<String> recipients,
      dev.smarthost.SmtpFailure reason,
      dev.smarthost.SmarthostOutboxException error) {}
}
