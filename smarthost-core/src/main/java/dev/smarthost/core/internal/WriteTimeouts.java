package dev.smarthost.core.internal;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The one scheduler that enforces write timeouts for every connection ({@code
 * mail.smtp.executor.writetimeout}; without it Angus starts a thread per connection).
 *
 * <p>Angus schedules a task before every socket write and cancels it after. On a {@code
 * ScheduledThreadPoolExecutor} each of those wakes the timer thread; on two cores that cost a fifth
 * of the messages per second (benchmarks/RESULTS.md). Here scheduling is a set insert and
 * cancelling a remove; one daemon thread looks for overdue tasks every {@link #TICK} while tasks
 * come and go, and parks when none came for {@link #LINGER}. A timeout therefore fires up to one
 * tick late. Only one-shot tasks are supported: that is all Angus asks for. The scheduler is shared
 * by the whole process and cannot be shut down.
 */
public final class WriteTimeouts extends AbstractExecutorService
    implements ScheduledExecutorService {
  /** How often overdue tasks are looked for: the most a timeout fires late. */
  public static final long TICK = TimeUnit.MILLISECONDS.toNanos(10);

  /** How long the thread goes on ticking after the last task went. */
  static final long LINGER = TimeUnit.SECONDS.toNanos(1);

  private static final WriteTimeouts SHARED = new WriteTimeouts("smarthost-write-timeout");

  private final Set<Task<?>> pending = ConcurrentHashMap.newKeySet();
  private final Thread ticker;
  private volatile boolean parked;

  WriteTimeouts(String threadName) {
    ticker = new Thread(this::tick, threadName);
    ticker.setDaemon(true);
    ticker.start();
  }

  /** The scheduler every session of this process uses. */
  public static ScheduledExecutorService executor() {
    return SHARED;
  }

  // pending is concurrent; remove() is how the ticker claims a task against a cancel()
  @SuppressWarnings("ModifyCollectionInEnhancedForLoop")
  private void tick() {
    long lastBusy = System.nanoTime();
    while (true) {
      Thread.interrupted(); // a task's cancel(true) must not stop the ticking
      long now = System.nanoTime();
      if (!pending.isEmpty()) {
        lastBusy = now;
        for (Task<?> task : pending) {
          if (now - task.deadline >= 0 && pending.remove(task)) {
            task.run();
          }
        }
      }
      if (pending.isEmpty() && now - lastBusy > LINGER) {
        parked = true;
        if (pending.isEmpty()) {
          LockSupport.park(this);
        }
        parked = false;
        lastBusy = System.nanoTime();
      } else {
        LockSupport.parkNanos(this, TICK);
      }
    }
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Task<V> task = new Task<>(Objects.requireNonNull(callable, "callable"), delay, unit);
    pending.add(task);
    if (parked) {
      LockSupport.unpark(ticker);
    }
    return task;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return schedule(Executors.callable(Objects.requireNonNull(command, "command")), delay, unit);
  }

  @Override
  public void execute(Runnable command) {
    Future<?> unused = schedule(command, 0, TimeUnit.NANOSECONDS); // execute() reports nothing
  }

  /**
   * Not supported: write timeouts are one-shot.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("write timeouts are one-shot");
  }

  /**
   * Not supported: write timeouts are one-shot.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("write timeouts are one-shot");
  }

  /** Does nothing: the scheduler is shared by every session of the process. */
  @Override
  public void shutdown() {}

  /** Does nothing and returns no tasks: the scheduler is shared by every session. */
  @Override
  public List<Runnable> shutdownNow() {
    return Collections.emptyList();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }

  @Override
  public String toString() {
    return "WriteTimeouts[pending=" + pending.size() + ", tick=10ms]";
  }

  /** Number of tasks waiting for their time; for tests. */
  int pending() {
    return pending.size();
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    final long deadline;

    Task(Callable<V> callable, long delay, TimeUnit unit) {
      super(callable);
      this.deadline = System.nanoTime() + unit.toNanos(delay);
    }

    /** Never interrupts: the task runs on the ticking thread, which must go on. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(false);
      if (cancelled) {
        pending.remove(this);
      }
      return cancelled;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}
