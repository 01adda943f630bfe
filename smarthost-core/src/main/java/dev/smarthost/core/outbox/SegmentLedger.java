package dev.smarthost.core.outbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many pending entries live in each journal segment, so that the oldest segments are deleted as
 * soon as nothing pending lives in them (the active one never). Thread-safe.
 */
final class SegmentLedger {
  private static final Logger LOG = LoggerFactory.getLogger(FileOutbox.class);

  private final Path dir;
  private final Journal journal;
  private final Map<Long, Integer> liveBySegment = new HashMap<>();

  SegmentLedger(Path dir, Journal journal) {
    this.dir = dir;
    this.journal = journal;
  }

  /** An entry now lives in {@code segment}. */
  synchronized void added(long segment) {
    liveBySegment.merge(segment, 1, Integer::sum);
  }

  /** An entry no longer lives in {@code segment}; deletes what became finished. */
  void removed(long segment) {
    synchronized (this) {
      liveBySegment.merge(segment, -1, Integer::sum);
    }
    collect();
  }

  /** An entry was copied from {@code from} into {@code to}; deletes what became finished. */
  void moved(long from, long to) {
    synchronized (this) {
      liveBySegment.merge(from, -1, Integer::sum);
      liveBySegment.merge(to, 1, Integer::sum);
    }
    collect();
  }

  /** Deletes the oldest segments while nothing pending lives in them. */
  void collect() {
    try {
      long active = journal.activeSegment();
      List<Long> segments = journal.segments();
      if (segments.size() < 2) {
        return; // only the active one
      }
      for (long segment : segments) {
        int live;
        synchronized (this) {
          live = liveBySegment.getOrDefault(segment, 0);
        }
        if (segment >= active || live > 0) {
          return;
        }
        journal.delete(segment);
        synchronized (this) {
          liveBySegment.remove(segment);
        }
      }
    } catch (IOException e) {
      LOG.warn("outbox {}: cannot delete a finished journal segment: {}", dir, e.toString());
    }
  }
}
