package dev.smarthost.core.send;

import dev.smarthost.core.internal.SmarthostTransport;
import dev.smarthost.core.internal.WriteTimeouts;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The total time one send may take, whatever the server does (a reply trickled one byte at a time
 * defeats every per-read timeout). Once it has passed, the transport in use is aborted, and again
 * every 100 ms until the send ends, so that a connect that was still opening its socket is caught
 * too. Runs on the shared {@link WriteTimeouts} ticker, whose schedule and cancel cost a set insert
 * and remove: one deadline per message costs next to nothing.
 */
final class SendDeadline implements AutoCloseable {
  private static final long REABORT_MILLIS = 100;

  private final ScheduledExecutorService scheduler;
  private final Duration timeout;
  private final long deadlineNanos;
  private volatile ScheduledFuture<?> timer;
  private volatile @Nullable SmarthostTransport current;
  private volatile boolean expired;
  private volatile boolean closed;

  private SendDeadline(ScheduledExecutorService scheduler, Duration timeout) {
    this.scheduler = scheduler;
    this.timeout = timeout;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
    this.timer = scheduler.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Starts the clock. */
  public static SendDeadline start(ScheduledExecutorService scheduler, Duration timeout) {
    return new SendDeadline(scheduler, timeout);
  }

  /** The transport the send uses now; aborted at once if the deadline has already passed. */
  public void watch(SmarthostTransport transport) {
    current = transport;
    if (expired) {
      transport.abort();
    }
  }

  private void expire() {
    if (closed) {
      return;
    }
    expired = true;
    SmarthostTransport t = current;
    if (t != null) {
      t.abort();
    }
    timer = scheduler.schedule(this::expire, REABORT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Whether the deadline has passed. */
  public boolean expired() {
    return expired || System.nanoTime() - deadlineNanos >= 0;
  }

  /** The time left, at least 1 ms (the caller checks {@link #expired()} first). */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
  }

  /** The configured total. */
  public Duration timeout() {
    return timeout;
  }

  @Override
  public void close() {
    closed = true;
    current = null;
    timer.cancel(false);
  }
}
