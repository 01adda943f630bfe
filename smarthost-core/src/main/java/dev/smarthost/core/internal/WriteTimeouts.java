package dev.smarthost.core.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one executor that enforces write timeouts for every connection. Without it Angus starts a
 * thread per connection.
 */
public final class WriteTimeouts {
  private static final ScheduledExecutorService EXECUTOR = create();

  private WriteTimeouts() {}

  public static ScheduledExecutorService executor() {
    return EXECUTOR;
  }

  private static ScheduledExecutorService create() {
    AtomicInteger count = new AtomicInteger();
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "smarthost-write-timeout-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
