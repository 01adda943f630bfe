package dev.smarthost.core.outbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an outbox's journal back: the entries still pending, and every damaged range. At open a
 * damaged range is copied to {@code corrupt/} (as {@code <segment>@<offset>.bin}) and reported; the
 * records around it are kept, so a bit flip costs at most the message it hit, never the outbox.
 */
final class JournalRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(FileOutbox.class);

  private JournalRecovery() {}

  /** The journal, opened for appending, and what it held. */
  record Recovered(
      Journal journal, Collection<OutboxRecords.Replayed> live, List<String> corruptFiles) {}

  /** A damaged range of a journal segment. */
  private record Damage(long segment, long start, long end, String why) {}

  /**
   * Opens the journal of the outbox in {@code dir} for appending and copies what is damaged aside.
   *
   * @throws IOException if the journal cannot be read at all
   */
  static Recovered open(Path dir, long segmentBytes) throws IOException {
    Map<String, OutboxRecords.Replayed> live = OutboxRecords.newLive();
    List<Damage> damaged = new ArrayList<>();
    Journal journal = Journal.open(dir.resolve("journal"), segmentBytes, reader(live, damaged));
    List<String> corrupt = new ArrayList<>();
    for (Damage d : damaged) {
      corrupt.add(quarantine(dir, journal, d));
    }
    return new Recovered(journal, live.values(), corrupt);
  }

  /**
   * Reads what is pending in the journal of an outbox another process may have open; damage is
   * skipped (the owner reports it).
   */
  static Collection<OutboxRecords.Replayed> readLive(Path dir) throws IOException {
    Map<String, OutboxRecords.Replayed> live = OutboxRecords.newLive();
    Journal.read(dir.resolve("journal"), reader(live, null));
    return live.values();
  }

  private static Journal.Reader reader(
      Map<String, OutboxRecords.Replayed> live, @Nullable List<Damage> damaged) {
    return new Journal.Reader() {
      @Override
      public void record(byte type, byte[] payload, Journal.Position at) {
        try {
          OutboxRecords.apply(live, type, payload, at);
        } catch (IOException | RuntimeException e) {
          damaged(at.segment(), at.recordStart(), at.recordEnd(), e.toString());
        }
      }

      @Override
      public void damaged(long segment, long start, long end, String why) {
        if (damaged != null) {
          damaged.add(new Damage(segment, start, end, why));
        }
      }
    };
  }

  private static String quarantine(Path dir, Journal journal, Damage d) {
    String name = String.format("%016d@%d.bin", d.segment(), d.start());
    try {
      journal.copyOut(d.segment(), d.start(), d.end(), dir.resolve("corrupt").resolve(name));
    } catch (IOException | RuntimeException e) {
      LOG.warn("outbox {}: cannot copy damaged {} aside: {}", dir, name, e.toString());
    }
    LOG.warn(
        "outbox {}: {} damaged bytes in the journal ({}: {}); copied to corrupt/{}, the records"
            + " around them are kept",
        dir,
        d.end() - d.start(),
        name,
        d.why(),
        name);
    return name;
  }
}
