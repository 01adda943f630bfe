package dev.smarthost.core.settings;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@code onChange} soon after a file may have changed: a {@link WatchService} on its
 * directory for speed, and a poll as a safety net (some file systems deliver no events). The
 * callback decides whether anything really changed. One daemon thread, from {@link #start()} to
 * {@link #stop()}.
 */
final class FileWatch {
  private static final Logger LOG = LoggerFactory.getLogger(FileWatch.class);

  private final Path file;
  private final Duration pollInterval;
  private final Runnable onChange;
  private @Nullable Thread thread;
  private @Nullable WatchService service;

  public FileWatch(Path file, Duration pollInterval, Runnable onChange) {
    this.file = file.toAbsolutePath();
    this.pollInterval = pollInterval;
    this.onChange = onChange;
  }

  public synchronized void start() {
    if (thread != null) {
      return;
    }
    try {
      WatchService s = FileSystems.getDefault().newWatchService();
      Path dir = file.getParent();
      if (dir != null) {
        dir.register(
            s,
            StandardWatchEventKinds.ENTRY_CREATE,
            StandardWatchEventKinds.ENTRY_MODIFY,
            StandardWatchEventKinds.ENTRY_DELETE);
      }
      service = s;
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("no WatchService for {}; polling every {}", file, pollInterval, e);
      service = null;
    }
    WatchService events = service;
    Thread t = new Thread(() -> loop(events), "smarthost-watch-" + file.getFileName());
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  public void stop() {
    Thread t;
    synchronized (this) {
      t = thread;
      thread = null;
      if (service != null) {
        try {
          service.close();
        } catch (IOException ignored) {
          // stopping anyway
        }
        service = null;
      }
    }
    if (t != null) {
      t.interrupt();
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  public synchronized boolean running() {
    return thread != null;
  }

  private void loop(@Nullable WatchService s) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        if (s == null) {
          Thread.sleep(pollInterval.toMillis());
        } else {
          WatchKey key = s.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
          if (key != null) {
            key.pollEvents(); // which event does not matter: the callback compares stamps
            key.reset();
          }
        }
        onChange.run();
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("checking {} for changes failed", file, e);
      }
    }
  }
}
