package dev.smarthost.core.send;

import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.internal.ConnectFailedException;
import dev.smarthost.core.internal.DaemonPools;
import dev.smarthost.core.internal.SmarthostTransport;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * At most {@code max} connected transports, reused while they are fresh: same settings, younger
 * than the maximum age, fewer messages than the maximum, and (after a pause) still answering NOOP.
 */
final class ConnectionPool implements AutoCloseable {
  /** One connection and its bookkeeping. */
  public static final class Connection {
    public final SmarthostTransport transport;
    final SmarthostSettings settings;
    final long createdNanos;
    int messages;
    long lastUsedNanos;

    /** How many messages this connection carried before. */
    public int messages() {
      return messages;
    }

    Connection(SmarthostTransport transport, SmarthostSettings settings) {
      this.transport = transport;
      this.settings = settings;
      this.createdNanos = System.nanoTime();
      this.lastUsedNanos = createdNanos;
    }
  }

  private final Semaphore permits;
  private final int max;
  private final Object shrinkLock = new Object();

  /** Permits kept back after the server refused a connection beyond what it allows. */
  private int withheld;

  /** Permits to keep back as soon as busy connections give theirs back. */
  private int owed;

  private long restoreAtNanos;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private final Set<Connection> busy = ConcurrentHashMap.newKeySet();
  private final Duration maxAge;
  private final int maxMessages;
  private final Duration idleTimeout;
  private final Duration validateAfterIdle;
  private final Consumer<SmarthostSettings> opened;
  private volatile boolean closed;
  private @Nullable ScheduledExecutorService evictor;

  public ConnectionPool(
      int max,
      Duration maxAge,
      int maxMessages,
      Duration idleTimeout,
      Duration validateAfterIdle,
      Consumer<SmarthostSettings> opened) {
    this.permits = new Semaphore(max, true);
    this.max = max;
    this.maxAge = maxAge;
    this.maxMessages = maxMessages;
    this.idleTimeout = idleTimeout;
    this.validateAfterIdle = validateAfterIdle;
    this.opened = opened;
  }

  /**
   * Returns a connected transport for these settings, reusing an idle one if it is fresh.
   *
   * @throws SmarthostBusyException if no connection becomes free within {@code wait}
   * @throws MessagingException if a new connection fails
   */
  public Connection acquire(
      Session session,
      SmarthostSettings settings,
      Duration wait,
      java.util.function.Consumer<SmarthostTransport> watch)
      throws MessagingException, InterruptedException {
    restoreIfDue();
    if (!permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS)) {
      throw new SmarthostBusyException(
          "no connection to " + settings.authority() + " became free within " + wait);
    }
    try {
      Connection c = reusable(settings);
      if (c == null) {
        SmarthostTransport transport = (SmarthostTransport) session.getTransport("smtp");
        watch.accept(transport);
        try {
          transport.connect();
        } catch (MessagingException e) {
          throw new ConnectFailedException(e, transport.trace());
        }
        c = new Connection(transport, settings);
        opened.accept(settings);
      }
      busy.add(c);
      if (closed) {
        release(c, false);
        throw new IllegalStateException("the mailer is closed");
      }
      return c;
    } catch (MessagingException | RuntimeException e) {
      releasePermit();
      throw e;
    }
  }

  private @Nullable Connection reusable(SmarthostSettings settings) {
    while (true) {
      Connection c;
      synchronized (idle) {
        c = idle.pollFirst();
      }
      if (c == null) {
        return null;
      }
      long now = System.nanoTime();
      if (!fresh(c, settings, now)
          || (now - c.lastUsedNanos > validateAfterIdle.toNanos() && !c.transport.isConnected())) {
        quietlyClose(c);
        continue;
      }
      return c;
    }
  }

  private boolean fresh(Connection c, SmarthostSettings settings, long now) {
    return c.settings.equals(settings)
        && c.messages < maxMessages
        && now - c.createdNanos < maxAge.toNanos()
        && c.transport.isConnectedWithoutNoop();
  }

  /**
   * The server refused one more connection ({@code 421} at connect: a connection limit) while
   * others to it are open and healthy: the pool allows one connection fewer for {@code cooldown},
   * so that senders wait for an open connection instead of failing. Never below one.
   *
   * @return false if the pool is at one connection already (the refusal is then a failure)
   */
  public boolean shrinkAfterRefusal(Duration cooldown) {
    synchronized (shrinkLock) {
      if (open() == 0 || max - withheld - owed <= 1) {
        return false;
      }
      if (permits.tryAcquire()) {
        withheld++;
      } else {
        owed++; // taken from the next connection given back
      }
      restoreAtNanos = System.nanoTime() + cooldown.toNanos();
      return true;
    }
  }

  /** The connections the pool allows now. */
  public int limit() {
    synchronized (shrinkLock) {
      return max - withheld - owed;
    }
  }

  private void restoreIfDue() {
    synchronized (shrinkLock) {
      if ((withheld > 0 || owed > 0) && System.nanoTime() - restoreAtNanos > 0) {
        permits.release(withheld);
        withheld = 0;
        owed = 0;
      }
    }
  }

  /** Gives a connection back: kept for reuse if {@code reusable}, else closed. */
  public void release(Connection c, boolean reusable) {
    busy.remove(c);
    try {
      c.messages++;
      c.lastUsedNanos = System.nanoTime();
      boolean kept = false;
      if (reusable && c.messages < maxMessages) {
        // closed is read under the same lock close() sets it under: a connection can never be
        // added after close() emptied the idle list.
        synchronized (idle) {
          if (!closed) {
            idle.addFirst(c);
            kept = true;
          }
        }
      }
      if (!kept) {
        quietlyClose(c);
      }
    } finally {
      releasePermit();
    }
  }

  private void releasePermit() {
    synchronized (shrinkLock) {
      if (owed > 0) {
        owed--;
        withheld++;
        return;
      }
    }
    permits.release();
  }

  /**
   * Closes idle connections past their time every half idle timeout (at least every 100 ms), on a
   * daemon thread of its own, until {@link #close}.
   */
  public synchronized void startEvicting() {
    if (evictor != null) {
      return;
    }
    ScheduledExecutorService e =
        Executors.newSingleThreadScheduledExecutor(
            r -> DaemonPools.daemon(r, "smarthost-mailer-idle"));
    long every = Math.max(100, idleTimeout.toMillis() / 2);
    // runs until close() shuts the scheduler down; nothing waits for it
    Future<?> unused =
        e.scheduleWithFixedDelay(this::evictIdle, every, every, TimeUnit.MILLISECONDS);
    evictor = e;
  }

  /** Closes connections idle longer than the idle timeout. */
  public void evictIdle() {
    long now = System.nanoTime();
    List<Connection> expired = new java.util.ArrayList<>();
    synchronized (idle) {
      idle.removeIf(
          c -> {
            boolean old =
                now - c.lastUsedNanos > idleTimeout.toNanos()
                    || now - c.createdNanos > maxAge.toNanos();
            if (old) {
              expired.add(c);
            }
            return old;
          });
    }
    expired.forEach(ConnectionPool::quietlyClose);
  }

  /** Number of connections open now, idle and busy. */
  public int open() {
    synchronized (idle) {
      return idle.size() + busy.size();
    }
  }

  /** Closes idle connections; aborts busy ones so that their senders fail instead of hanging. */
  @Override
  public void close() {
    synchronized (this) {
      if (evictor != null) {
        evictor.shutdownNow();
      }
    }
    List<Connection> toClose;
    synchronized (idle) {
      closed = true;
      toClose = List.copyOf(idle);
      idle.clear();
    }
    toClose.forEach(ConnectionPool::quietlyClose);
  }

  /** Aborts the connections still busy (after the drain deadline). */
  public void abortBusy() {
    for (Connection c : busy) {
      c.transport.abort();
    }
  }

  private static void quietlyClose(Connection c) {
    try {
      c.transport.close();
    } catch (MessagingException | RuntimeException ignored) {
      // closing; the server may already be gone
    }
  }
}
