package dev.smarthost.core;

import dev.smarthost.core.internal.Journal;
import dev.smarthost.core.internal.OutboxFiles;
import dev.smarthost.core.internal.OutboxRecords;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What can be done to a {@link FileOutbox} directory without opening it, also while its application
 * runs: read the journal, list and retry dead entries (each one file pair in {@code dead/}), purge
 * them.
 */
final class OutboxDirectory {
  private static final String MSG = ".msg";
  private static final String STATE = ".state";

  private OutboxDirectory() {}

  /** A dead entry moved to {@code pending/} for the journal to take back. */
  static final class Retried {
    final String id;
    final Path file;
    final Path stateFile;
    final byte[] encoded;
    final Properties state;
    final OutboxFiles.Header header;

    Retried(
        String id,
        Path file,
        Path stateFile,
        byte[] encoded,
        Properties state,
        OutboxFiles.Header header) {
      this.id = id;
      this.file = file;
      this.stateFile = stateFile;
      this.encoded = encoded;
      this.state = state;
      this.header = header;
    }

    OutboxRecords.Replayed replayed(Journal.Position at) {
      OutboxRecords.Replayed r = new OutboxRecords.Replayed(id, header, at);
      r.state = state;
      return r;
    }
  }

  static List<OutboxEntry> pending(Path dir) {
    Map<String, OutboxRecords.Replayed> live = OutboxRecords.newLive();
    try {
      Journal.read(
          dir.resolve("journal"),
          new Journal.Reader() {
            @Override
            public void record(byte type, byte[] payload, Journal.Position at) {
              try {
                OutboxRecords.apply(live, type, payload, at);
              } catch (IOException | RuntimeException e) {
                // damaged: the owner reports it
              }
            }

            @Override
            public void damaged(long segment, long offset, String why) {
              // the owner reports it
            }
          });
    } catch (IOException e) {
      return List.of();
    }
    List<OutboxEntry> list = new ArrayList<>();
    for (OutboxRecords.Replayed r : live.values()) {
      list.add(
          new OutboxEntry(
              r.id,
              r.header.enqueuedAt,
              OutboxRecords.attempts(r),
              OutboxRecords.next(r),
              OutboxRecords.recipients(r),
              r.header.length,
              OutboxRecords.failure(r)));
    }
    for (Retried r : retried(dir)) {
      list.add(entry(r.id, r.header, r.state));
    }
    list.sort((a, b) -> a.id().compareTo(b.id()));
    return list;
  }

  static List<OutboxEntry> dead(Path dir) {
    List<OutboxEntry> list = new ArrayList<>();
    Path dead = dir.resolve("dead");
    for (Path file : messages(dead)) {
      String id = idOf(file);
      try {
        list.add(
            entry(
                id, OutboxFiles.read(file, null), OutboxFiles.readState(dead.resolve(id + STATE))));
      } catch (IOException | RuntimeException e) {
        // damaged or vanished while listing: not an entry
      }
    }
    return list;
  }

  private static OutboxEntry entry(String id, OutboxFiles.Header h, Properties state) {
    OutboxRecords.Replayed r = new OutboxRecords.Replayed(id, h, null);
    r.state = state;
    return new OutboxEntry(
        id,
        h.enqueuedAt,
        OutboxRecords.attempts(r),
        OutboxRecords.next(r),
        OutboxRecords.recipients(r),
        h.length,
        OutboxRecords.failure(r));
  }

  /** The entries in {@code pending/} waiting to be taken back into the journal. */
  static List<Retried> retried(Path dir) {
    List<Retried> list = new ArrayList<>();
    Path in = dir.resolve("pending");
    for (Path file : messages(in)) {
      String id = idOf(file);
      Path stateFile = in.resolve(id + STATE);
      try {
        byte[] encoded = Files.readAllBytes(file);
        OutboxFiles.Header h = OutboxFiles.read(new java.io.ByteArrayInputStream(encoded), null);
        list.add(new Retried(id, file, stateFile, encoded, OutboxFiles.readState(stateFile), h));
      } catch (IOException | RuntimeException e) {
        // half moved or damaged: left for the next look
      }
    }
    return list;
  }

  static boolean retry(Path dir, String id) {
    if (!id.matches("[0-9a-f-]+")) {
      return false;
    }
    Path dead = dir.resolve("dead");
    Path file = dead.resolve(id + MSG);
    try {
      OutboxFiles.Header h = OutboxFiles.read(file, null);
      Properties state = OutboxFiles.readState(dead.resolve(id + STATE));
      List<String> recipients = OutboxFiles.recipients(state, h.recipients);
      OutboxFiles.writeState(
          dir.resolve("tmp").resolve(id + STATE + ".retry"),
          dir.resolve("pending").resolve(id + STATE),
          OutboxFiles.state(0, Instant.now(), recipients, null));
      Files.move(file, dir.resolve("pending").resolve(id + MSG), StandardCopyOption.ATOMIC_MOVE);
      Files.deleteIfExists(dead.resolve(id + STATE));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int retryAll(Path dir) {
    int n = 0;
    for (Path file : messages(dir.resolve("dead"))) {
      n += retry(dir, idOf(file)) ? 1 : 0;
    }
    return n;
  }

  static int purgeDead(Path dir) {
    int n = 0;
    Path dead = dir.resolve("dead");
    for (Path file : messages(dead)) {
      try {
        Files.deleteIfExists(dead.resolve(idOf(file) + STATE));
        n += Files.deleteIfExists(file) ? 1 : 0;
      } catch (IOException e) {
        // still there: counted next time
      }
    }
    return n;
  }

  private static List<Path> messages(Path in) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(in, "*" + MSG)) {
      s.forEach(files::add);
    } catch (IOException e) {
      return files;
    }
    Collections.sort(files);
    return files;
  }

  private static String idOf(Path file) {
    String name = file.getFileName().toString();
    return name.substring(0, name.length() - MSG.length());
  }
}
