package dev.smarthost.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WriteTimeoutsTest {
  private final WriteTimeouts scheduler = new WriteTimeouts("write-timeouts-test");

  @Test
  void aTaskRunsAfterItsDelayAndNotBefore() throws Exception {
    long start = System.nanoTime();
    ScheduledFuture<String> f = scheduler.schedule(() -> "fired", 150, TimeUnit.MILLISECONDS);

    assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("fired");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    assertThat(f.cancel(true)).as("too late to cancel").isFalse();
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aCancelledTaskNeverRuns() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    ScheduledFuture<?> f = scheduler.schedule(runs::incrementAndGet, 50, TimeUnit.MILLISECONDS);

    assertThat(f.cancel(true)).isTrue();
    assertThat(scheduler.pending()).isZero();
    Thread.sleep(200);
    assertThat(runs).hasValue(0);
    assertThat(f.isCancelled()).isTrue();
    assertThatThrownBy(f::get).isInstanceOf(CancellationException.class);
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheOthers() throws Exception {
    ScheduledFuture<String> failing =
        scheduler.schedule(
            () -> {
              throw new IllegalStateException("boom");
            },
            10,
            TimeUnit.MILLISECONDS);
    ScheduledFuture<String> next = scheduler.schedule(() -> "ok", 30, TimeUnit.MILLISECONDS);

    assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(failing.isDone()).isTrue();
    assertThatThrownBy(failing::get).hasCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void afterAQuietSpellTheThreadWakesForTheNextTask() throws Exception {
    assertThat(scheduler.schedule(() -> 1, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS))
        .isEqualTo(1);
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(WriteTimeouts.LINGER) + 300); // now parked

    long start = System.nanoTime();
    assertThat(scheduler.schedule(() -> 2, 20, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS))
        .isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void periodicTasksAreRefused() {
    assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.SECONDS))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> scheduler.scheduleWithFixedDelay(() -> {}, 1, 1, TimeUnit.SECONDS))
        .isInstanceOf(UnsupportedOperationException.class);
    scheduler.shutdown();
    assertThat(scheduler.isShutdown()).as("shared: shutdown is a no-op").isFalse();
  }
}
