package dev.smarthost.core.internal;

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
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
