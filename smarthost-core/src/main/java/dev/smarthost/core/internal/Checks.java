package dev.smarthost.core.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The argument checks of every builder, with one wording: {@code "<name>: must be …, but was …"}.
 * Durations are compared, never converted, so that a huge value is refused instead of overflowing.
 */
public final class Checks {
  private static final Duration ONE_MILLI = Duration.ofMillis(1);

  private Checks() {}

  /** At least {@code min}. */
  public static int atLeast(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + ": must be at least " + min + ", but was " + value);
    }
    return value;
  }

  /** At least 1 ms. */
  public static Duration positive(String name, Duration d) {
    return atLeast(name, d, ONE_MILLI);
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

  /** At least 1 ms and at most {@code Integer.MAX_VALUE} ms: what a socket timeout can take. */
  public static Duration socketTimeout(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.compareTo(ONE_MILLI) < 0 || d.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(name + ": must be at least 1 ms and finite, but was " + d);
    }
    return d;
  }
}
