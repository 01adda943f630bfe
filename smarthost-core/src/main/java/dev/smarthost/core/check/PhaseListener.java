package dev.smarthost.core.check;

import dev.smarthost.core.session.PhaseTiming;

/**
 * Hears each step of a connection check as soon as it completes, for progress on a slow server (see
 * {@link SmtpConnectionValidator#withProgress(PhaseListener)}). Called on the thread that called
 * {@code validate}, in the order of the conversation, never after {@code validate} returned.
 */
@FunctionalInterface
public interface PhaseListener {
  /**
   * Called when a step completed.
   *
   * @param timing the step and how long it took
   */
  void completed(PhaseTiming timing);
}
