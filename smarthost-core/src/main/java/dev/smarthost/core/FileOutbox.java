package dev.smarthost.core;

import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.internal.Checks;
import dev.smarthost.core.internal.OutboxFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Outbox} in a directory of this node: one file per message, written to a temporary file,
 * forced to disk and renamed into {@code pending/} before {@code add} returns (the rename forced
 * too, shared by concurrent callers: group commit). One process at a time (a lock file); files that
 * are damaged at start are moved to {@code corrupt/} and reported, never delivered and never fatal.
 *
 * <pre>{@code
 * Outbox outbox = FileOutbox.open(Path.of("/var/spool/myapp/smarthost"));  // created 0700
 * try (SmarthostMailer mailer = SmarthostMailer.builder(resolver).outbox(outbox).build()) {
 *   String id = mailer.enqueue(message);   // durable when it returns
 * }
 * }</pre>
 */
public final class FileOutbox implements Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(FileOutbox.class);
  private static final String MSG = ".msg";
  private static final String STATE = ".state";

  /** Default maximum number of pending messages. */
  public static final int DEFAULT_MAX_MESSAGES = 100_000;

  /** Default maximum of the pending messages' bytes: 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  private final Path dir;
  private final Path tmp;
  private final Path pendingDir;
  private final Path deadDir;
  private final Path corruptDir;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final int maxMessages;
  private final long maxBytes;
  private final List<String> corrupt = new ArrayList<>();
  private final ConcurrentSkipListMap<String, Slot> pending = new ConcurrentSkipListMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final Object dirSync = new Object();
  private final AtomicLong renamed = new AtomicLong();
  private long synced;
  private long bytes;
  private int count;
  private volatile boolean closed;

  /** A pending entry and whether this process is delivering it. */
  private static final class Slot {
    volatile OutboxEntry entry;
    volatile boolean claimed;

    Slot(OutboxEntry entry) {
      this.entry = entry;
    }
  }

  private FileOutbox(Builder b) {
    this.dir = b.dir;
    this.tmp = dir.resolve("tmp");
    this.pendingDir = dir.resolve("pending");
    this.deadDir = dir.resolve("dead");
    this.corruptDir = dir.resolve("corrupt");
    this.maxMessages = b.maxMessages;
    this.maxBytes = b.maxBytes;
    try {
      for (Path p : List.of(dir, tmp, pendingDir, deadDir, corruptDir)) {
        createPrivate(p);
      }
      lockChannel =
          FileChannel.open(
              dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new SmarthostOutboxException("outbox " + dir + ": cannot create it (" + e + ")", e);
    }
    FileLock l;
    try {
      l = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    } catch (IOException e) {
      closeQuietly();
      throw new SmarthostOutboxException("outbox " + dir + ": cannot lock it (" + e + ")", e);
    }
    if (l == null) {
      closeQuietly();
      throw new SmarthostOutboxException(
          "outbox " + dir + ": in use by another process (or already open here); one at a time",
          null);
    }
    this.lock = l;
    try {
      clean(tmp);
      rescan();
    } catch (IOException e) {
      close();
      throw new SmarthostOutboxException("outbox " + dir + ": cannot read it (" + e + ")", e);
    }
  }

  /**
   * Opens (and creates, owner-only) the outbox in {@code dir} with the default bounds.
   *
   * @param dir the directory; the same one after a restart resumes everything pending
   * @return the outbox
   * @throws SmarthostOutboxException if the directory cannot be created, read or locked
   */
  public static FileOutbox open(Path dir) {
    return builder(dir).open();
  }

  /**
   * Starts configuring an outbox in {@code dir}.
   *
   * @param dir the directory
   * @return a new builder
   */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /**
   * Returns the files found damaged when the outbox was opened (and rescanned), now in {@code
   * corrupt/}.
   *
   * @return their names
   */
  public synchronized List<String> corruptFiles() {
    return List.copyOf(corrupt);
  }

  @Override
  public String add(byte[] message, List<String> recipients) {
    Objects.requireNonNull(message, "message");
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("recipients: none");
    }
    checkOpen();
    reserve(message.length);
    Instant now = Instant.now();
    String id = newId(now);
    try {
      OutboxFiles.writeDurably(
          tmp.resolve(id + MSG),
          pendingDir.resolve(id + MSG),
          OutboxFiles.encode(now, recipients, message));
      forceRename();
    } catch (IOException | RuntimeException e) {
      unreserve(message.length);
      try {
        Files.deleteIfExists(pendingDir.resolve(id + MSG));
      } catch (IOException ignored) {
        // it was never acknowledged; a leftover is found damaged or delivered once
      }
      throw new SmarthostOutboxException(
          "outbox " + dir + ": cannot store the message durably (" + e + "); nothing was kept", e);
    }
    pending.put(id, new Slot(new OutboxEntry(id, now, 0, now, recipients, message.length, null)));
    return id;
  }

  private synchronized void reserve(long size) {
    if (count >= maxMessages || bytes + size > maxBytes) {
      throw new SmarthostBusyException(
          "the outbox is full ("
              + count
              + " messages, "
              + bytes
              + " bytes; at most "
              + maxMessages
              + " and "
              + maxBytes
              + "); nothing was kept");
    }
    bytes += size;
    count++;
  }

  private synchronized void unreserve(long size) {
    bytes -= size;
    count--;
  }

  /** Group commit: one forced directory covers every rename that came before it. */
  private void forceRename() throws IOException {
    long mine = renamed.incrementAndGet();
    synchronized (dirSync) {
      if (synced >= mine) {
        return;
      }
      long upTo = renamed.get();
      OutboxFiles.forceDirectory(pendingDir);
      synced = upTo;
    }
  }

  private String newId(Instant now) {
    return String.format(
        "%013d-%06d-%04x",
        now.toEpochMilli(),
        sequence.incrementAndGet() % 1_000_000,
        ThreadLocalRandom.current().nextInt(0x10000));
  }

  @Override
  public List<OutboxEntry> pending() {
    List<OutboxEntry> list = new ArrayList<>();
    pending.values().forEach(s -> list.add(s.entry));
    return list;
  }

  @Override
  public List<OutboxEntry> dead() {
    return list(deadDir);
  }

  /**
   * Reads the dead entries of an outbox directory without opening it (it may be in use by a running
   * application), for tools such as {@code smarthost outbox list}.
   *
   * @param dir the outbox directory
   * @param which {@code "pending"} or {@code "dead"}
   * @return the entries, oldest first
   */
  public static List<OutboxEntry> read(Path dir, String which) {
    if (!which.equals("pending") && !which.equals("dead")) {
      throw new IllegalArgumentException("which: must be pending or dead, but was " + which);
    }
    return list(dir.resolve(which));
  }

  private static List<OutboxEntry> list(Path in) {
    List<OutboxEntry> list = new ArrayList<>();
    for (Path file : messages(in)) {
      String id = idOf(file);
      try {
        list.add(entry(id, file, OutboxFiles.readState(in.resolve(id + STATE))));
      } catch (IOException | RuntimeException e) {
        // damaged or vanished while listing: not an entry
      }
    }
    return list;
  }

  private static OutboxEntry entry(String id, Path file, Properties state) throws IOException {
    OutboxFiles.Header h = OutboxFiles.read(file, null);
    int attempts = Integer.parseInt(state.getProperty("attempts", "0"));
    Instant next =
        Instant.ofEpochMilli(
            Long.parseLong(state.getProperty("next", Long.toString(h.enqueuedAt.toEpochMilli()))));
    return new OutboxEntry(
        id,
        h.enqueuedAt,
        attempts,
        next,
        OutboxFiles.recipients(state, h.recipients),
        h.length,
        OutboxFiles.failure(state));
  }

  @Override
  public int pendingCount() {
    return pending.size();
  }

  @Override
  public Optional<Instant> oldestPending() {
    Map.Entry<String, Slot> first = pending.firstEntry();
    return first == null ? Optional.empty() : Optional.of(first.getValue().entry.enqueuedAt());
  }

  @Override
  public boolean retry(String id) {
    boolean moved = retry(dir, id);
    rescanQuietly();
    return moved;
  }

  private void rescanQuietly() {
    try {
      rescan();
    } catch (IOException e) {
      LOG.warn("outbox {}: cannot rescan: {}", dir, e.toString());
    }
  }

  /**
   * Moves a dead entry of an outbox directory back to pending without opening the outbox; a running
   * application picks it up within seconds.
   *
   * @param dir the outbox directory
   * @param id the dead entry
   * @return false if there is no such dead entry
   */
  public static boolean retry(Path dir, String id) {
    if (!id.matches("[0-9a-f-]+")) {
      return false;
    }
    Path file = dir.resolve("dead").resolve(id + MSG);
    try {
      Properties state = OutboxFiles.readState(dir.resolve("dead").resolve(id + STATE));
      OutboxFiles.Header h = OutboxFiles.read(file, null);
      List<String> recipients = OutboxFiles.recipients(state, h.recipients);
      Path pendingState = dir.resolve("pending").resolve(id + STATE);
      OutboxFiles.writeState(
          dir.resolve("tmp").resolve(id + STATE),
          pendingState,
          OutboxFiles.state(0, Instant.now(), recipients, null));
      Files.move(file, dir.resolve("pending").resolve(id + MSG), StandardCopyOption.ATOMIC_MOVE);
      Files.deleteIfExists(dir.resolve("dead").resolve(id + STATE));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public int retryAll() {
    int n = retryAll(dir);
    rescanQuietly();
    return n;
  }

  /**
   * Moves every dead entry of an outbox directory back to pending, like {@link #retry(Path,
   * String)}.
   *
   * @param dir the outbox directory
   * @return how many
   */
  public static int retryAll(Path dir) {
    int n = 0;
    for (Path file : messages(dir.resolve("dead"))) {
      n += retry(dir, idOf(file)) ? 1 : 0;
    }
    return n;
  }

  @Override
  public int purgeDead() {
    return purgeDead(dir);
  }

  /**
   * Deletes every dead entry of an outbox directory.
   *
   * @param dir the outbox directory
   * @return how many
   */
  public static int purgeDead(Path dir) {
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

  @Override
  public List<OutboxEntry> claimDue(Instant now, int max) {
    List<OutboxEntry> due = new ArrayList<>();
    for (Slot s : pending.values()) {
      if (due.size() >= max) {
        break;
      }
      synchronized (s) {
        if (!s.claimed && !s.entry.nextAttemptAt().isAfter(now)) {
          s.claimed = true;
          due.add(s.entry);
        }
      }
    }
    return due;
  }

  @Override
  public Optional<Instant> nextDue() {
    Instant next = null;
    for (Slot s : pending.values()) {
      if (!s.claimed && (next == null || s.entry.nextAttemptAt().isBefore(next))) {
        next = s.entry.nextAttemptAt();
      }
    }
    return Optional.ofNullable(next);
  }

  @Override
  public byte[] content(String id) {
    try {
      return OutboxFiles.content(pendingDir.resolve(id + MSG));
    } catch (IOException e) {
      throw new SmarthostOutboxException(
          "outbox " + dir + ": cannot read " + id + " (" + e + ")", e);
    }
  }

  @Override
  public void delivered(String id) {
    Slot s = pending.remove(id);
    if (s != null) {
      unreserve(s.entry.size());
    }
    try {
      Files.deleteIfExists(pendingDir.resolve(id + STATE));
      Files.deleteIfExists(pendingDir.resolve(id + MSG));
    } catch (IOException e) {
      // left behind: delivered once more after a restart (at least once), never lost
      LOG.warn("outbox {}: cannot delete delivered {}: {}", dir, id, e.toString());
    }
  }

  @Override
  public void reschedule(String id, List<String> recipients, Instant next, SmtpFailure failure) {
    Slot s = pending.get(id);
    if (s == null) {
      return;
    }
    OutboxEntry e = s.entry.with(s.entry.attempts() + 1, next, recipients, failure);
    try {
      OutboxFiles.writeState(
          tmp.resolve(id + STATE),
          pendingDir.resolve(id + STATE),
          OutboxFiles.state(e.attempts(), next, recipients, failure));
    } catch (IOException ex) {
      // the entry is retried sooner after a restart; never lost
      LOG.warn("outbox {}: cannot record the retry of {}: {}", dir, id, ex.toString());
    }
    synchronized (s) {
      s.entry = e;
      s.claimed = false;
    }
  }

  @Override
  public void bury(String id, List<String> recipients, SmtpFailure reason) {
    Slot s = pending.get(id);
    if (s == null) {
      return;
    }
    OutboxEntry e = s.entry;
    try {
      Properties state = OutboxFiles.state(e.attempts() + 1, Instant.now(), recipients, reason);
      if (recipients.containsAll(e.recipients())) {
        OutboxFiles.writeState(tmp.resolve(id + STATE), deadDir.resolve(id + STATE), state);
        Files.move(
            pendingDir.resolve(id + MSG),
            deadDir.resolve(id + MSG),
            StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(pendingDir.resolve(id + STATE));
        pending.remove(id);
        unreserve(e.size());
      } else {
        // part of the recipients: a dead copy for them; the entry keeps the others
        String deadId =
            id + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        byte[] content = content(id);
        OutboxFiles.writeDurably(
            tmp.resolve(deadId + MSG),
            deadDir.resolve(deadId + MSG),
            OutboxFiles.encode(e.enqueuedAt(), recipients, content));
        OutboxFiles.writeState(tmp.resolve(deadId + STATE), deadDir.resolve(deadId + STATE), state);
        List<String> left = new ArrayList<>(e.recipients());
        left.removeAll(recipients);
        s.entry = e.with(e.attempts(), e.nextAttemptAt(), left, e.lastFailure().orElse(null));
      }
    } catch (IOException ex) {
      LOG.warn("outbox {}: cannot move {} to dead: {}", dir, id, ex.toString());
    }
    LOG.warn(
        "outbox {}: gave up on {} for {} recipient(s): {}", dir, id, recipients.size(), reason);
  }

  @Override
  public void release(String id) {
    Slot s = pending.get(id);
    if (s != null) {
      synchronized (s) {
        s.claimed = false;
      }
    }
  }

  /**
   * Picks up message files that appeared in {@code pending/} from outside (a dead entry retried by
   * {@code smarthost outbox retry} while this process runs); the mailer calls it when idle.
   *
   * @throws IOException if the directory cannot be listed
   */
  public void rescan() throws IOException {
    if (!Files.isDirectory(pendingDir)) {
      throw new IOException(pendingDir + " is not a directory");
    }
    for (Path file : messages(pendingDir)) {
      String id = idOf(file);
      if (pending.containsKey(id)) {
        continue;
      }
      try {
        OutboxEntry e = entry(id, file, OutboxFiles.readState(pendingDir.resolve(id + STATE)));
        if (pending.putIfAbsent(id, new Slot(e)) == null) {
          synchronized (this) {
            bytes += e.size();
            count++;
          }
        }
      } catch (IOException | RuntimeException e) {
        quarantine(file, e);
      }
    }
  }

  private synchronized void quarantine(Path file, Exception why) {
    String name = file.getFileName().toString();
    try {
      Files.move(file, corruptDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(pendingDir.resolve(idOf(file) + STATE));
    } catch (IOException e) {
      LOG.warn("outbox {}: cannot move damaged {} aside: {}", dir, name, e.toString());
    }
    corrupt.add(name);
    LOG.warn("outbox {}: {} is damaged ({}); moved to corrupt/", dir, name, why.getMessage());
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

  private static void clean(Path in) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(in)) {
      for (Path p : s) {
        Files.deleteIfExists(p); // never acknowledged
      }
    }
  }

  private static void createPrivate(Path p) throws IOException {
    if (Files.isDirectory(p)) {
      return;
    }
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createDirectories(
          p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } else {
      Files.createDirectories(p);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the outbox is closed");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      lockChannel.close(); // releases the lock
    } catch (IOException | RuntimeException e) {
      // closing anyway
    }
  }

  @Override
  public String toString() {
    return "FileOutbox{" + dir + ", pending=" + pending.size() + "}";
  }

  /** Configures a {@link FileOutbox}. */
  public static final class Builder {
    private final Path dir;
    private int maxMessages = DEFAULT_MAX_MESSAGES;
    private long maxBytes = DEFAULT_MAX_BYTES;

    private Builder(Path dir) {
      this.dir = Objects.requireNonNull(dir, "dir");
    }

    /**
     * Sets the most pending messages; {@code enqueue} beyond it throws {@link
     * SmarthostBusyException}.
     *
     * @param max at least 1; default {@value FileOutbox#DEFAULT_MAX_MESSAGES}
     * @return this builder (for chaining)
     */
    public Builder maxMessages(int max) {
      this.maxMessages = Checks.atLeast("maxMessages", max, 1);
      return this;
    }

    /**
     * Sets the most bytes of pending messages.
     *
     * @param max at least 1; default 1 GiB
     * @return this builder (for chaining)
     */
    public Builder maxBytes(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxBytes: must be at least 1, but was " + max);
      }
      this.maxBytes = max;
      return this;
    }

    /**
     * Opens the outbox.
     *
     * @return the outbox
     * @throws SmarthostOutboxException if the directory cannot be created, read or locked
     */
    public FileOutbox open() {
      return new FileOutbox(this);
    }
  }
}
