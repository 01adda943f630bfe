package dev.smarthost.core.outbox;

import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.internal.Checks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Outbox} in a directory of this node. Accepted messages are appended to a journal
 * ({@code journal/*.log}) and forced to disk ({@code fdatasync}) before {@code add} returns;
 * concurrent callers share one force (group commit). Delivery bookkeeping is appended without
 * forcing: a crash may repeat a message, never lose one. Segments whose messages are all done are
 * deleted. Dead entries are single files in {@code dead/}; a dead entry retried from outside (the
 * CLI) is moved to {@code pending/} and taken back into the journal. One process at a time (a lock
 * file); a damaged record found at start is copied to {@code corrupt/} and reported, never fatal.
 *
 * <pre>{@code
 * FileOutbox outbox = FileOutbox.open(Path.of("/var/spool/myapp/smarthost"));  // created 0700
 * try (SmarthostMailer mailer = SmarthostMailer.builder(resolver).outbox(outbox).build()) {
 *   String id = mailer.enqueue(message);   // durable when it returns
 * }
 * }</pre>
 */
public final class FileOutbox implements OutboxStore {
  private static final Logger LOG = LoggerFactory.getLogger(FileOutbox.class);
  private static final String MSG = ".msg";
  private static final String STATE = ".state";
  private static final long SEGMENT_BYTES = 32L << 20;
  private static final long RESCAN_EVERY_MS = 5_000;

  /** Default maximum number of pending messages. */
  public static final int DEFAULT_MAX_MESSAGES = 100_000;

  /**
   * The largest message (with its envelope) one entry holds: 64 MiB. {@code enqueue} refuses a
   * larger one with {@link SmarthostOutboxException} before anything is stored.
   */
  public static final int MAX_MESSAGE_BYTES = Journal.MAX_PAYLOAD;

  /** Default maximum of the pending messages' bytes: 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  private final Path dir;
  private final Path tmp;
  private final Path pendingDir;
  private final Path deadDir;
  private final Path corruptDir;
  private final FileChannel lockChannel;
  private final Journal journal;
  private final int maxMessages;
  private final long maxBytes;
  private final List<String> corrupt = new ArrayList<>();
  private final ConcurrentSkipListMap<String, Slot> pending = new ConcurrentSkipListMap<>();
  private final Map<Long, Integer> liveBySegment = new HashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private long bytes;
  private int count;
  private volatile boolean closed;
  private volatile long lastRescan = System.currentTimeMillis();

  /** A pending entry, where its message is, and whether this process is delivering it. */
  private static final class Slot {
    volatile OutboxEntry entry;
    volatile Journal.Position at;
    volatile boolean claimed;

    Slot(OutboxEntry entry, Journal.Position at) {
      this.entry = entry;
      this.at = at;
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
      OutboxDirectory.secure(dir);
      Path lockFile = dir.resolve("lock");
      lockChannel =
          FileChannel.open(
              lockFile,
              Set.of(
                  StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
              PrivateFiles.fileAttributes(lockFile));
    } catch (PrivateFiles.InsecureException e) {
      throw new SmarthostOutboxException("outbox refused: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new SmarthostOutboxException("outbox " + dir + ": cannot create it (" + e + ")", e);
    }
    FileLock lock;
    try {
      lock = lockChannel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeLock();
      throw new SmarthostOutboxException("outbox " + dir + ": cannot lock it (" + e + ")", e);
    }
    if (lock == null) {
      closeLock();
      throw new SmarthostOutboxException(
          "outbox " + dir + ": in use by another process (or already open here); one at a time",
          null);
    }
    Map<String, OutboxRecords.Replayed> live = OutboxRecords.newLive();
    List<Damage> damaged = new ArrayList<>();
    try {
      clean(tmp);
      journal =
          Journal.open(
              dir.resolve("journal"),
              SEGMENT_BYTES,
              new Journal.Reader() {
                @Override
                public void record(byte type, byte[] payload, Journal.Position at) {
                  try {
                    OutboxRecords.apply(live, type, payload, at);
                  } catch (IOException | RuntimeException e) {
                    damaged.add(
                        new Damage(at.segment, at.recordStart(), at.recordEnd(), e.toString()));
                  }
                }

                @Override
                public void damaged(long segment, long start, long end, String why) {
                  damaged.add(new Damage(segment, start, end, why));
                }
              });
    } catch (IOException e) {
      closeLock();
      throw new SmarthostOutboxException("outbox " + dir + ": cannot read it (" + e + ")", e);
    }
    for (Damage d : damaged) {
      quarantine(d);
    }
    for (OutboxRecords.Replayed r : live.values()) {
      index(r);
    }
    collect();
    rescanQuietly();
  }

  /** A damaged range of a journal segment, found at open. */
  private record Damage(long segment, long start, long end, String why) {}

  private void index(OutboxRecords.Replayed r) {
    Journal.Position at = Objects.requireNonNull(r.at, "a live record was read at a position");
    OutboxEntry e = OutboxRecords.entry(r);
    pending.put(r.id, new Slot(e, at));
    synchronized (this) {
      bytes += e.size();
      count++;
      liveBySegment.merge(at.segment, 1, Integer::sum);
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
   * Returns the damaged journal records found when the outbox was opened, copied to {@code
   * corrupt/} (as {@code <segment>@<offset>.bin}), and dead files that could not be read back.
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
    Instant now = Instant.now();
    String id = newId(now);
    byte[] record = OutboxRecords.add(id, OutboxFiles.encode(now, recipients, message));
    if (record.length > Journal.MAX_PAYLOAD) {
      // refused before anything is written: a record the journal cannot read back is never
      // claimed durable
      throw new SmarthostOutboxException(
          "outbox "
              + dir
              + ": the message has "
              + message.length
              + " bytes; with its envelope that is more than the "
              + MAX_MESSAGE_BYTES
              + " bytes (64 MiB) a file outbox keeps per message; nothing was kept",
          null);
    }
    reserve(message.length);
    Journal.Position at;
    try {
      at = journal.append(OutboxRecords.ADD, record, true);
    } catch (IOException | RuntimeException e) {
      unreserve(message.length);
      throw new SmarthostOutboxException(
          "outbox " + dir + ": cannot store the message durably (" + e + "); nothing was kept", e);
    }
    synchronized (this) {
      liveBySegment.merge(at.segment, 1, Integer::sum);
    }
    pending.put(
        id, new Slot(new OutboxEntry(id, now, 0, now, recipients, message.length, null), at));
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
    return OutboxDirectory.dead(dir);
  }

  @Override
  public int deadCount() {
    return OutboxDirectory.deadCount(dir);
  }

  /**
   * Reads the pending or dead entries of an outbox directory without opening it (it may be in use
   * by a running application), for tools such as {@code smarthost outbox list}.
   *
   * @param dir the outbox directory
   * @param which {@code "pending"} or {@code "dead"}
   * @return the entries, oldest first
   * @throws IllegalArgumentException if {@code which} is neither
   * @throws SmarthostOutboxException if the directory breaks the ownership rule
   */
  public static List<OutboxEntry> read(Path dir, String which) {
    OutboxDirectory.check(dir);
    return switch (which) {
      case "pending" -> OutboxDirectory.pending(dir);
      case "dead" -> OutboxDirectory.dead(dir);
      default ->
          throw new IllegalArgumentException("which: must be pending or dead, but was " + which);
    };
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
    if (retryPending(id, Instant.now())) {
      return true;
    }
    boolean moved = OutboxDirectory.retry(dir, id);
    rescanQuietly();
    return moved;
  }

  /**
   * Makes an entry of an outbox directory due now without opening the outbox: a dead entry goes
   * back to pending, a pending one is tried at once with its backoff reset. A running application
   * picks it up within seconds, else the next start does.
   *
   * @param dir the outbox directory
   * @param id the entry
   * @return false if there is no such dead or pending entry
   * @throws SmarthostOutboxException if the directory breaks the ownership rule (see {@link #open})
   */
  public static boolean retry(Path dir, String id) {
    OutboxDirectory.check(dir);
    return OutboxDirectory.retry(dir, id) || OutboxDirectory.retryPending(dir, id);
  }

  @Override
  public int retryAll() {
    Instant now = Instant.now();
    int n = 0;
    for (String id : pending.keySet()) {
      n += retryPending(id, now) ? 1 : 0;
    }
    n += OutboxDirectory.retryAll(dir);
    rescanQuietly();
    return n;
  }

  /**
   * Makes every entry of an outbox directory due now, like {@link #retry(Path, String)}.
   *
   * @param dir the outbox directory
   * @return how many
   * @throws SmarthostOutboxException if the directory breaks the ownership rule
   */
  public static int retryAll(Path dir) {
    OutboxDirectory.check(dir);
    int pendingNow = 0;
    for (OutboxEntry e : OutboxDirectory.pending(dir)) {
      pendingNow += OutboxDirectory.retryPending(dir, e.id()) ? 1 : 0;
    }
    return OutboxDirectory.retryAll(dir) + pendingNow;
  }

  @Override
  public int purgeDead() {
    return OutboxDirectory.purgeDead(dir);
  }

  /**
   * Deletes every dead entry of an outbox directory.
   *
   * @param dir the outbox directory
   * @return how many
   * @throws SmarthostOutboxException if the directory breaks the ownership rule
   */
  public static int purgeDead(Path dir) {
    OutboxDirectory.check(dir);
    return OutboxDirectory.purgeDead(dir);
  }

  /** A pending entry waiting for its retry becomes due now, its backoff reset. */
  private boolean retryPending(String id, Instant now) {
    Slot s = pending.get(id);
    if (s == null) {
      return false;
    }
    OutboxEntry e;
    synchronized (s) {
      if (s.claimed) {
        return true; // being delivered right now
      }
      e = s.entry.with(0, now, s.entry.recipients(), s.entry.lastFailure().orElse(null));
      s.entry = e;
    }
    try {
      journal.append(
          OutboxRecords.STATE,
          OutboxRecords.state(
              id, OutboxFiles.state(0, now, e.recipients(), e.lastFailure().orElse(null))),
          false);
    } catch (IOException ex) {
      LOG.warn("outbox {}: cannot record the retry of {}: {}", dir, id, ex.toString());
    }
    return true;
  }

  @Override
  public List<OutboxEntry> claimDue(Instant now, int max) {
    if (now.toEpochMilli() - lastRescan > RESCAN_EVERY_MS) {
      lastRescan = now.toEpochMilli();
      rescanQuietly(); // entries retried from outside (the CLI) while this process runs
    }
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
    Slot s = pending.get(id);
    if (s == null) {
      throw new SmarthostOutboxException("outbox " + dir + ": no pending entry " + id, null);
    }
    try {
      return OutboxRecords.content(journal.read(s.at));
    } catch (IOException e) {
      throw new SmarthostOutboxException(
          "outbox " + dir + ": cannot read " + id + " (" + e + ")", e);
    }
  }

  @Override
  public void delivered(String id) {
    Slot s = pending.remove(id);
    if (s == null) {
      return;
    }
    done(id, s);
  }

  /** Forgets an entry: a done record (not forced: a crash repeats it), and its segment's count. */
  private void done(String id, Slot s) {
    unreserve(s.entry.size());
    try {
      journal.append(OutboxRecords.DONE, OutboxRecords.done(id), false);
    } catch (IOException e) {
      // delivered once more after a restart (at least once), never lost
      LOG.warn("outbox {}: cannot record {} as done: {}", dir, id, e.toString());
    }
    synchronized (this) {
      liveBySegment.merge(s.at.segment, -1, Integer::sum);
    }
    collect();
  }

  @Override
  public void reschedule(String id, List<String> recipients, Instant next, SmtpFailure failure) {
    Slot s = pending.get(id);
    if (s == null) {
      return;
    }
    OutboxEntry e = s.entry.with(s.entry.attempts() + 1, next, recipients, failure);
    try {
      moveForward(id, s);
      journal.append(
          OutboxRecords.STATE,
          OutboxRecords.state(id, OutboxFiles.state(e.attempts(), next, recipients, failure)),
          false);
    } catch (IOException ex) {
      // retried sooner, or to all recipients, after a restart; never lost
      LOG.warn("outbox {}: cannot record the retry of {}: {}", dir, id, ex.toString());
    }
    synchronized (s) {
      s.entry = e;
      s.claimed = false;
    }
  }

  /**
   * An entry that waits for a retry while newer segments fill up is copied into the newest one, so
   * that the segments behind it can be deleted.
   */
  private void moveForward(String id, Slot s) throws IOException {
    if (s.at.segment >= journal.activeSegment() - 1) {
      return;
    }
    byte[] payload = journal.read(s.at);
    Journal.Position moved = journal.append(OutboxRecords.ADD, payload, true);
    synchronized (this) {
      liveBySegment.merge(s.at.segment, -1, Integer::sum);
      liveBySegment.merge(moved.segment, 1, Integer::sum);
    }
    s.at = moved;
    collect();
    LOG.debug("outbox {}: moved {} forward to segment {}", dir, id, moved.segment);
  }

  @Override
  public void bury(String id, List<String> recipients, SmtpFailure reason) {
    Slot s = pending.get(id);
    if (s == null) {
      return;
    }
    OutboxEntry e = s.entry;
    boolean all = recipients.containsAll(e.recipients());
    String deadId =
        all ? id : id + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
    try {
      OutboxFiles.writeDurably(
          tmp.resolve(deadId + MSG),
          deadDir.resolve(deadId + MSG),
          OutboxFiles.encode(e.enqueuedAt(), recipients, content(id)));
      OutboxFiles.writeState(
          tmp.resolve(deadId + STATE),
          deadDir.resolve(deadId + STATE),
          OutboxFiles.state(e.attempts() + 1, Instant.now(), recipients, reason));
    } catch (IOException | RuntimeException ex) {
      // stays pending (and claimed, for the dispatcher to reschedule): tried again, never lost
      throw new SmarthostOutboxException(
          "outbox "
              + dir
              + ": cannot write the dead entry for "
              + id
              + " ("
              + ex
              + "); it stays pending",
          ex);
    }
    if (all) {
      pending.remove(id);
      done(id, s);
    } else {
      List<String> left = new ArrayList<>(e.recipients());
      left.removeAll(recipients);
      s.entry = e.with(e.attempts(), e.nextAttemptAt(), left, e.lastFailure().orElse(null));
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
   * Takes back dead entries that were retried from outside ({@code smarthost outbox retry} moves
   * them to {@code pending/}); {@link #claimDue} does so every 5 s by itself.
   *
   * @throws IOException if the directory cannot be listed
   */
  public void rescan() throws IOException {
    PrivateFiles.checkDirectory(pendingDir); // still only ours, as at open
    for (OutboxDirectory.Retried r : OutboxDirectory.retried(dir)) {
      if (r.problem != null) {
        moveAside(r);
        continue;
      }
      if (pending.containsKey(r.id)) {
        Files.deleteIfExists(r.file);
        continue;
      }
      Journal.Position at =
          journal.append(OutboxRecords.ADD, OutboxRecords.add(r.id, r.encoded), true);
      journal.append(OutboxRecords.STATE, OutboxRecords.state(r.id, r.state), true);
      Files.deleteIfExists(r.stateFile);
      Files.deleteIfExists(r.file);
      OutboxRecords.Replayed replayed = r.replayed(at);
      index(replayed);
    }
    Instant now = Instant.now();
    for (String id : OutboxDirectory.takeRetryRequests(dir)) {
      retryPending(id, now);
    }
  }

  /** A retried entry whose files are damaged or malformed goes to {@code corrupt/}, never in. */
  private void moveAside(OutboxDirectory.Retried r) {
    LOG.warn(
        "outbox {}: pending/{} cannot be taken back ({}); moved to corrupt/", dir, r.id, r.problem);
    try {
      for (Path p : List.of(r.file, r.stateFile)) {
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.move(
              p,
              corruptDir.resolve("pending-" + p.getFileName()),
              StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } catch (IOException e) {
      LOG.warn("outbox {}: cannot move pending/{} aside: {}", dir, r.id, e.toString());
    }
    synchronized (this) {
      corrupt.add("pending-" + r.id + ".msg");
    }
  }

  private void rescanQuietly() {
    try {
      rescan();
    } catch (IOException | RuntimeException e) {
      LOG.warn("outbox {}: cannot take back retried entries: {}", dir, e.toString());
    }
  }

  /** Deletes the oldest segments while nothing pending lives in them. */
  private void collect() {
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

  private synchronized void quarantine(Damage d) {
    String name = String.format("%016d@%d.bin", d.segment(), d.start());
    try {
      journal.copyOut(d.segment(), d.start(), d.end(), corruptDir.resolve(name));
    } catch (IOException | RuntimeException e) {
      LOG.warn("outbox {}: cannot copy damaged {} aside: {}", dir, name, e.toString());
    }
    corrupt.add(name);
    LOG.warn(
        "outbox {}: {} damaged bytes in the journal ({}: {}); copied to corrupt/{}, the records"
            + " around them are kept",
        dir,
        d.end() - d.start(),
        name,
        d.why(),
        name);
  }

  private static void clean(Path in) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(in)) {
      for (Path p : s) {
        Files.deleteIfExists(p); // never acknowledged; a link is removed, never followed
      }
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
    journal.close();
    closeLock();
  }

  private void closeLock() {
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
