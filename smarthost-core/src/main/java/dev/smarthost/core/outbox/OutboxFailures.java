package dev.smarthost.core.outbox;

import dev.smarthost.SmtpFailure;
import dev.smarthost.core.internal.FailureClassifier;
import dev.smarthost.core.internal.FailureContext;
import dev.smarthost.core.internal.UnreadableEntryException;

/**
 * The failures an outbox records for reasons of its own rather than the server's, the same for
 * every outbox (the file journal and Redis alike).
 */
public final class OutboxFailures {
  private OutboxFailures() {}

  /**
   * The failure of a stored entry that cannot be read back: it is dead-lettered at once and was
   * never sent.
   *
   * @param why what is wrong with the entry
   * @return a {@link dev.smarthost.FailureKind#MESSAGE_REJECTED} failure saying so
   */
  public static SmtpFailure unreadable(String why) {
    return FailureClassifier.classify(
        new UnreadableEntryException(why, null), FailureContext.dispatching());
  }
}
