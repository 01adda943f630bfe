package dev.smarthost.redis.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/** Logs an outage once when it starts and once when it ends, not once per retry. */
public final class OutageLog {
  private final Logger log;
  private final String what;
  private final String meanwhile;
  private final AtomicBoolean down = new AtomicBoolean();

  public OutageLog(Logger log, String what) {
    this(log, what, "keeping the last good values and retrying");
  }

  /** With what happens while it is down, e.g. "new messages are refused, read ones delivered". */
  public OutageLog(Logger log, String what, String meanwhile) {
    this.log = log;
    this.what = what;
    this.meanwhile = meanwhile;
  }

  public void failed(Exception e) {
    if (down.compareAndSet(false, true)) {
      log.warn("{} unreachable ({}); {}", what, e.getMessage(), meanwhile);
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
