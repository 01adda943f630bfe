package dev.smarthost.core.outbox;

import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmtpFailure;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What can be done to a {@link FileOutbox} directory without opening it, also while its application
 * runs: read the journal, list and retry dead entries (each one file pair in {@code dead/}), purge
 * them.
 */
final class OutboxDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(FileOutbox.class);
  private static final String MSG = ".msg";
  private static final String STATE = ".state";
  private static final String RETRY_NOW = ".now";
  private static final Pattern ID = Pattern.compile("[0-9a-f-]+");
  private static final List<String> SUBDIRS =
      List.of("tmp", "pending", "dead", "corrupt", "journal");

  private OutboxDirectory() {}

  /**
   * Creates (0700) what is missing and checks the directory and each subdirectory: owned by the
   * process user, not group/other-writable, not a link.
   */
  static void secure(Path dir) throws IOException {
    PrivateFiles.ensureDirectory(dir);
    for (String sub : SUBDIRS) {
      PrivateFiles.ensureDirectory(dir.resolve(sub));
    }
  }

  /**
   * Checks an existing outbox directory for the tools that work on it without opening it.
   *
   * @throws SmarthostOutboxException naming the path and the problem
   */
  static void check(Path dir) {
    try {
      PrivateFiles.checkDirectory(dir);
      for (String sub : SUBDIRS) {
        Path p = dir.resolve(sub);
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)) {
          PrivateFiles.checkDirectory(p);
        }
      }
    } catch (PrivateFiles.InsecureException e) {
      throw new SmarthostOutboxException("outbox refused: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new SmarthostOutboxException("outbox " + dir + ": cannot read it (" + e + ")", e);
    }
  }

  /** A dead entry moved to {@code pending/} for the journal to take back. */
  static final class Retried {
    final String id;
    final Path file;
    final Path stateFile;
    final byte[] encoded;
    final Properties state;
    final OutboxFiles.@Nullable Header header;
    final @Nullable String problem;

    Retried(
        String id,
        Path file,
        Path stateFile,
        byte[] encoded,
        Properties state,
        OutboxFiles.@Nullable Header header,
        @Nullable String problem) {
      this.id = id;
      this.file = file;
      this.stateFile = stateFile;
      this.encoded = encoded;
      this.state = state;
      this.header = header;
      this.problem = problem;
    }

    OutboxRecords.Replayed replayed(Journal.Position at) {
      OutboxRecords.Replayed r =
          new OutboxRecords.Replayed(id, Objects.requireNonNull(header, "header"), at);
      r.state = state;
      return r;
    }
  }

  static List<OutboxEntry> pending(Path dir) {
    Collection<OutboxRecords.Replayed> live;
    try {
      live = JournalRecovery.readLive(dir);
    } catch (IOException e) {
      return List.of();
    }
    List<OutboxEntry> list = new ArrayList<>();
    for (OutboxRecords.Replayed r : live) {
      list.add(OutboxRecords.entry(r));
    }
    for (Retried r : retried(dir)) {
      if (r.header != null && r.problem == null) {
        list.add(entry(r.id, r.header, r.state));
      }
    }
    list.sort((a, b) -> a.id().compareTo(b.id()));
    return list;
  }

  static int deadCount(Path dir) {
    return messages(dir.resolve("dead")).size();
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
      byte[] encoded;
      try {
        encoded = readOwn(file);
      } catch (IOException | RuntimeException e) {
        continue; // vanished while listing
      }
      try {
        OutboxFiles.Header h = OutboxFiles.read(new ByteArrayInputStream(encoded), null);
        list.add(
            new Retried(id, file, stateFile, encoded, OutboxFiles.readState(stateFile), h, null));
      } catch (IOException | RuntimeException e) {
        list.add(new Retried(id, file, stateFile, encoded, new Properties(), null, e.getMessage()));
      }
    }
    return list;
  }

  private static byte[] readOwn(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return in.readAllBytes();
    }
  }

  /**
   * Asks the process that owns the outbox (now or at its next start) to try a pending entry now: a
   * marker file {@code pending/<id>.now}.
   */
  static boolean retryPending(Path dir, String id) {
    if (!ID.matcher(id).matches()) {
      return false;
    }
    boolean known = pending(dir).stream().anyMatch(e -> e.id().equals(id));
    if (!known) {
      return false;
    }
    Path marker = dir.resolve("pending").resolve(id + RETRY_NOW);
    try {
      Files.deleteIfExists(marker);
      Files.newByteChannel(
              marker,
              EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PrivateFiles.fileAttributes(marker))
          .close();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The ids asked to be tried now ({@link #retryPending}); their markers are removed. */
  static List<String> takeRetryRequests(Path dir) {
    List<String> ids = new ArrayList<>();
    Path in = dir.resolve("pending");
    try (DirectoryStream<Path> s = Files.newDirectoryStream(in, "*" + RETRY_NOW)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        String id = name.substring(0, name.length() - RETRY_NOW.length());
        if (ID.matcher(id).matches() && PrivateFiles.isOwnRegularFile(p)) {
          ids.add(id);
        }
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // looked at again at the next rescan
    }
    return ids;
  }

  static boolean retry(Path dir, String id) {
    if (!ID.matcher(id).matches()) {
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
      if (!PrivateFiles.isOwnRegularFile(file)) {
        return false;
      }
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

  /** Empties {@code tmp/}: what is there was never acknowledged. */
  static void cleanTmp(Path dir) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir.resolve("tmp"))) {
      for (Path p : s) {
        Files.deleteIfExists(p); // a link is removed, never followed
      }
    }
  }

  /** Writes a dead entry ({@code dead/<id>.msg} and its state), durably, through {@code tmp/}. */
  static void writeDead(
      Path dir,
      String deadId,
      Instant enqueuedAt,
      List<String> recipients,
      byte[] content,
      int attempts,
      SmtpFailure reason)
      throws IOException {
    Path tmp = dir.resolve("tmp");
    Path dead = dir.resolve("dead");
    OutboxFiles.writeDurably(
        tmp.resolve(deadId + MSG),
        dead.resolve(deadId + MSG),
        OutboxFiles.encode(enqueuedAt, recipients, content));
    OutboxFiles.writeState(
        tmp.resolve(deadId + STATE),
        dead.resolve(deadId + STATE),
        OutboxFiles.state(attempts, Instant.now(), recipients, reason));
  }

  /**
   * Moves a retried entry whose files are damaged or malformed to {@code corrupt/}: it never goes
   * into the journal.
   *
   * @return the name it is reported under
   */
  static String moveAside(Path dir, Retried r) {
    LOG.warn(
        "outbox {}: pending/{} cannot be taken back ({}); moved to corrupt/", dir, r.id, r.problem);
    try {
      for (Path p : List.of(r.file, r.stateFile)) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.move(
              p,
              dir.resolve("corrupt").resolve("pending-" + p.getFileName()),
              StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } catch (IOException e) {
      LOG.warn("outbox {}: cannot move pending/{} aside: {}", dir, r.id, e.toString());
    }
    return "pending-" + r.id + MSG;
  }

  private static List<Path> messages(Path in) {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(in, "*" + MSG)) {
      for (Path p : s) {
        if (PrivateFiles.isOwnRegularFile(p)) {
          files.add(p); // never a link, nor a file someone else put there
        }
      }
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
