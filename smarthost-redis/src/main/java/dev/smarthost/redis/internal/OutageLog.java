package dev.smarthost.redis.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/** Logs an outage once when it starts and once when it ends, not once per retry. */
public final class OutageLog {
  private final Logger log;
  private final String what;
  private final AtomicBoolean down = new AtomicBoolean();

  public OutageLog(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  public void failed(Exception e) {
    if (down.compareAndSet(false, true)) {
      log.warn(
          "{} unreachable ({}); keeping the last good values and retrying", what, e.getMessage());
    }
  }

  public void recovered() {
    if (down.compareAndSet(true, false)) {
      log.info("{} reachable again", what);
    }
  }

  public boolean isDown() {
    return down.get();
  }
}
