package dev.smarthost.core.session;

import dev.smarthost.core.check.ValidationResult;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One completed step of a connection check and how long it took; {@link ValidationResult#phases()}
 * lists them in the order of the conversation.
 */
public final class PhaseTiming {
  private final ValidationPhase phase;
  private final Duration duration;

  private PhaseTiming(ValidationPhase phase, Duration duration) {
    this.phase = Objects.requireNonNull(phase, "phase");
    this.duration = Objects.requireNonNull(duration, "duration");
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
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration: must not be negative, but was " + duration);
    }
    return new PhaseTiming(phase, duration);
  }

  /**
   * Returns the step.
   *
   * @return the phase
   */
  public ValidationPhase phase() {
    return phase;
  }

  /**
   * Returns how long the step took.
   *
   * @return the duration
   */
  public Duration duration() {
    return duration;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PhaseTiming
        && ((PhaseTiming) o).phase == phase
        && ((PhaseTiming) o).duration.equals(duration);
  }

  @Override
  public int hashCode() {
    return phase.hashCode() * 31 + duration.hashCode();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT, "%s %.1f ms", phase.name().toLowerCase(Locale.ROOT), duration.toNanos() / 1e6);
  }
}
