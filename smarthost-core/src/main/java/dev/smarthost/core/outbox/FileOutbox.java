package dev.smarthost.core.outbox;

import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.internal.Checks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
  private final OutboxLock lock;
  private final Journal journal;
  private final SegmentLedger segments;
  private final OutboxQuota quota;
  private final List<String> corrupt = new ArrayList<>();
  private final HeldEntries<Journal.Position> held = new HeldEntries<>();
  private final AtomicLong sequence = new AtomicLong();
  private volatile boolean closed;
  private volatile long lastRescan = System.currentTimeMillis();

  private FileOutbox(Builder b) {
    this.dir = b.dir;
    this.quota = new OutboxQuota(b.maxMessages, b.maxBytes);
    this.lock = OutboxLock.acquire(dir);
    JournalRecovery.Recovered recovered;
    try {
      OutboxDirectory.cleanTmp(dir);
      recovered = JournalRecovery.open(dir, SEGMENT_BYTES);
    } catch (IOException e) {
      lock.close();
      throw new SmarthostOutboxException("outbox " + dir + ": cannot read it (" + e + ")", e);
    }
    this.journal = recovered.journal();
    this.segments = new SegmentLedger(dir, journal);
    corrupt.addAll(recovered.corruptFiles());
    for (OutboxRecords.Replayed r : recovered.live()) {
      index(r);
    }
    segments.collect();
    rescanQuietly();
  }

  private void index(OutboxRecords.Replayed r) {
    Journal.Position at = Objects.requireNonNull(r.at, "a live record was read at a position");
    OutboxEntry e = OutboxRecords.entry(r);
    held.hold(e, at);
    quota.recovered(e.size());
    segments.added(at.segment());
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
    quota.reserve(message.length);
    Journal.Position at;
    try {
      at = journal.append(OutboxRecords.ADD, record, true);
    } catch (IOException | RuntimeException e) {
      quota.release(message.length);
      throw new SmarthostOutboxException(
          "outbox " + dir + ": cannot store the message durably (" + e + "); nothing was kept", e);
    }
    segments.added(at.segment());
    held.hold(new OutboxEntry(id, now, 0, now, recipients, message.length, null), at);
    return id;
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
    return held.entries();
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
   * Returns an outbox directory as its administrator sees it, without opening it (its application
   * may be running), for tools such as {@code smarthost outbox list}: the views read what is
   * stored; {@code retry} moves a dead entry to {@code pending/} or marks a pending one to be tried
   * now, and the process that has the outbox open takes both in within seconds (else its next start
   * does). Nothing is locked, so {@code close} releases nothing.
   *
   * @param dir the outbox directory
   * @return its view
   * @throws SmarthostOutboxException if the directory breaks the ownership rule (see {@link
   *     #open}); every call checks it again
   */
  public static Outbox inspect(Path dir) {
    return new InspectedOutbox(dir);
  }

  @Override
  public int pendingCount() {
    return held.size();
  }

  @Override
  public Optional<Instant> oldestPending() {
    return held.first().map(OutboxEntry::enqueuedAt);
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

  /** Counts as {@link Outbox#retryAll} does; takes the dead entries back in one rescan. */
  @Override
  public int retryAll() {
    Instant now = Instant.now();
    int n = 0;
    for (String id : held.ids()) {
      n += retryPending(id, now) ? 1 : 0;
    }
    n += OutboxDirectory.retryAll(dir);
    rescanQuietly();
    return n;
  }

  @Override
  public int purgeDead() {
    return OutboxDirectory.purgeDead(dir);
  }

  /** A pending entry waiting for its retry becomes due now, its backoff reset. */
  private boolean retryPending(String id, Instant now) {
    HeldEntries.Held<Journal.Position> h = held.get(id);
    if (h == null) {
      return false;
    }
    Optional<OutboxEntry> reset =
        h.resetUnlessClaimed(e -> e.with(0, now, e.recipients(), e.lastFailure().orElse(null)));
    if (reset.isEmpty()) {
      return true; // being delivered right now
    }
    OutboxEntry e = reset.get();
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
    return held.claimDue(now, max);
  }

  @Override
  public Optional<Instant> nextDue() {
    return held.nextDue();
  }

  @Override
  public byte[] content(String id) {
    HeldEntries.Held<Journal.Position> h = held.get(id);
    if (h == null) {
      throw new SmarthostOutboxException("outbox " + dir + ": no pending entry " + id, null);
    }
    try {
      return OutboxRecords.content(journal.read(h.location()));
    } catch (IOException e) {
      throw new SmarthostOutboxException(
          "outbox " + dir + ": cannot read " + id + " (" + e + ")", e);
    }
  }

  @Override
  public void delivered(String id) {
    HeldEntries.Held<Journal.Position> h = held.remove(id);
    if (h == null) {
      return;
    }
    done(id, h);
  }

  /** Forgets an entry: a done record (not forced: a crash repeats it), and its segment's count. */
  private void done(String id, HeldEntries.Held<Journal.Position> h) {
    quota.release(h.entry().size());
    try {
      journal.append(OutboxRecords.DONE, OutboxRecords.done(id), false);
    } catch (IOException e) {
      // delivered once more after a restart (at least once), never lost
      LOG.warn("outbox {}: cannot record {} as done: {}", dir, id, e.toString());
    }
    segments.removed(h.location().segment());
  }

  @Override
  public void reschedule(String id, List<String> recipients, Instant next, SmtpFailure failure) {
    HeldEntries.Held<Journal.Position> h = held.get(id);
    if (h == null) {
      return;
    }
    OutboxEntry e = h.entry().with(h.entry().attempts() + 1, next, recipients, failure);
    try {
      moveForward(id, h);
      journal.append(
          OutboxRecords.STATE,
          OutboxRecords.state(id, OutboxFiles.state(e.attempts(), next, recipients, failure)),
          false);
    } catch (IOException ex) {
      // retried sooner, or to all recipients, after a restart; never lost
      LOG.warn("outbox {}: cannot record the retry of {}: {}", dir, id, ex.toString());
    }
    h.release(e);
  }

  /**
   * An entry that waits for a retry while newer segments fill up is copied into the newest one, so
   * that the segments behind it can be deleted.
   */
  private void moveForward(String id, HeldEntries.Held<Journal.Position> h) throws IOException {
    Journal.Position at = h.location();
    if (at.segment() >= journal.activeSegment() - 1) {
      return;
    }
    Journal.Position moved = journal.append(OutboxRecords.ADD, journal.read(at), true);
    h.moved(moved);
    segments.moved(at.segment(), moved.segment());
    LOG.debug("outbox {}: moved {} forward to segment {}", dir, id, moved.segment());
  }

  @Override
  public void bury(String id, List<String> recipients, SmtpFailure reason) {
    HeldEntries.Held<Journal.Position> h = held.get(id);
    if (h == null) {
      return;
    }
    OutboxEntry e = h.entry();
    boolean all = e.coveredBy(recipients);
    String deadId = e.deadId(recipients);
    try {
      OutboxDirectory.writeDead(
          dir, deadId, e.enqueuedAt(), recipients, content(id), e.attempts() + 1, reason);
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
      held.remove(id);
      done(id, h);
    } else {
      h.update(e.without(recipients));
    }
    LOG.warn(
        "outbox {}: gave up on {} for {} recipient(s): {}", dir, id, recipients.size(), reason);
  }

  @Override
  public void release(String id) {
    held.release(id);
  }

  /**
   * Takes back dead entries that were retried from outside ({@code smarthost outbox retry} moves
   * them to {@code pending/}); {@link #claimDue} does so every 5 s by itself.
   *
   * @throws IOException if the directory cannot be listed
   */
  public void rescan() throws IOException {
    PrivateFiles.checkDirectory(dir.resolve("pending")); // still only ours, as at open
    for (OutboxDirectory.Retried r : OutboxDirectory.retried(dir)) {
      if (r.problem != null) {
        String name = OutboxDirectory.moveAside(dir, r);
        synchronized (this) {
          corrupt.add(name);
        }
        continue;
      }
      if (held.get(r.id) != null) {
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

  private void rescanQuietly() {
    try {
      rescan();
    } catch (IOException | RuntimeException e) {
      LOG.warn("outbox {}: cannot take back retried entries: {}", dir, e.toString());
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
    lock.close();
  }

  @Override
  public String toString() {
    return "FileOutbox{" + dir + ", pending=" + held.size() + "}";
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
