package dev.smarthost.core.session;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One completed step of a connection check and how long it took; {@link
 * dev.smarthost.core.check.ValidationResult#phases()} lists them in the order of the conversation.
 *
 * @param phase the step
 * @param duration how long it took; not negative
 */
public record PhaseTiming(ValidationPhase phase, Duration duration) {
  /**
   * Checks the components.
   *
   * @param phase the step
   * @param duration how long it took
   * @throws IllegalArgumentException if the duration is negative
   */
  public PhaseTiming {
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration: must not be negative, but was " + duration);
    }
  }

  /**
   * Creates a timing.
   *
   * @param phase the step
   * @param duration how long it took; not negative
   * @return the timing
   * @throws IllegalArgumentException if the duration is negative
   */
  public static PhaseTiming of(ValidationPhase phase, Duration duration) {
    return new PhaseTiming(phase, duration);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "%s %.1f ms", phase.name().toLowerCase(Locale.ROOT), duration.toNanos() / 1e6);
  }
}
