package dev.smarthost.core.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread pools of named daemon threads that never outlive their use by more than 30 s. */
public final class DaemonPools {
  private DaemonPools() {}

  /**
   * At most {@code threads} threads named {@code prefix-1, prefix-2…}; more tasks wait in an
   * unbounded queue; idle threads end after 30 s.
   */
  public static ThreadPoolExecutor bounded(String prefix, int threads) {
    return pool(prefix, threads, new LinkedBlockingQueue<>());
  }

  /**
   * The same with at most {@code capacity} waiting tasks: one more is refused with {@link
   * java.util.concurrent.RejectedExecutionException}.
   */
  public static ThreadPoolExecutor queued(String prefix, int threads, int capacity) {
    return pool(prefix, threads, new ArrayBlockingQueue<>(capacity));
  }

  /** A named daemon thread. */
  public static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static ThreadPoolExecutor pool(
      String prefix, int threads, BlockingQueue<Runnable> queue) {
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            queue,
            r -> daemon(r, prefix + "-" + count.incrementAndGet()),
            new ThreadPoolExecutor.AbortPolicy());
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
