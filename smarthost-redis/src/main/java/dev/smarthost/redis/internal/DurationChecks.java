package dev.smarthost.redis.internal;

import java.time.Duration;
import java.util.Objects;

/** The builders' checks of their durations, with messages that name the setting. */
public final class DurationChecks {
  private DurationChecks() {}

  /** At least 1 ms. */
  public static Duration positive(String name, Duration d) {
    return atLeast(name, d, Duration.ofMillis(1));
  }

  /** At least {@code min}. */
  public static Duration atLeast(String name, Duration d, Duration min) {
    Objects.requireNonNull(d, name);
    if (d.compareTo(min) < 0) {
      throw new IllegalArgumentException(
          name + ": must be at least " + min.toMillis() + " ms, but was " + d);
    }
    return d;
  }
}
