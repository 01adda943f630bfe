package dev.smarthost.testkit.internal;

import java.time.Duration;

/** The server builder's checks, each naming the setting and the value it refused. */
public final class BuilderChecks {
  private BuilderChecks() {}

  /** 0 or more. */
  public static long notNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + ": must be 0 or more, but was " + value);
    }
    return value;
  }

  /** 0–65535. */
  public static int port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: must be 0–65535, but was " + port);
    }
    return port;
  }

  /** At least 1 ms, at most {@link Integer#MAX_VALUE} ms (a socket timeout). */
  public static Duration socketTimeout(String name, Duration timeout) {
    if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + ": must be at least 1 ms, but was " + timeout);
    }
    return timeout;
  }

  /** A login name: not empty, no control characters. */
  public static String username(String username) {
    if (username.isEmpty() || username.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("username: must be non-empty, without control characters");
    }
    return username;
  }
}
