package dev.smarthost.cli.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * At most {@link #MAX} connection checks (saves, test messages, detections) a minute on one page:
 * each opens connections to a host the request names, so the page must not be a fast port scanner
 * or a way to hammer a server, even for a holder of the token.
 */
final class CheckRate {
  static final int MAX = 10;
  private static final Duration WINDOW = Duration.ofMinutes(1);

  private final Deque<Long> recent = new ArrayDeque<>();

  /**
   * Counts one check; if the minute's checks are used up, answers 429 with {@code Retry-After}.
   *
   * @return true if the check may run
   */
  boolean admit(HttpExchange exchange) throws IOException {
    long wait;
    synchronized (recent) {
      long now = System.nanoTime();
      while (!recent.isEmpty() && now - recent.peekFirst() >= WINDOW.toNanos()) {
        recent.pollFirst();
      }
      if (recent.size() < MAX) {
        recent.addLast(now);
        return true;
      }
      wait =
          Math.max(1, Duration.ofNanos(WINDOW.toNanos() - (now - recent.peekFirst())).toSeconds());
    }
    exchange.getResponseHeaders().set("Retry-After", Long.toString(wait));
    JsonExchange.send(
        exchange,
        429,
        JsonExchange.error(
            "rate", "at most " + MAX + " checks a minute; try again in " + wait + " s"));
    return false;
  }
}
