package dev.smarthost.core.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * An append-only log of records in segment files ({@code 0000000000000001.log}, …). A record is
 * {@code [magic:2][type:1][length:4][header crc32:4][payload][crc32:4]}: the header's own checksum
 * makes a damaged length recognisable, and the magic lets a replay find the next good record after
 * a damaged range instead of giving up on the rest of the segment. One {@code fdatasync} makes
 * every record written before it durable, so concurrent writers share it (group commit).
 *
 * <p>Nothing is ever cut: a damaged or incomplete range is reported whole (start and end) for the
 * caller to copy aside, and new records always go to a fresh (or empty) segment. An interrupt of a
 * thread inside an append or read neither fails that call nor closes the journal for the others
 * ({@link FileChannel} closes itself on an interrupt; the journal reopens the file and repeats the
 * positional operation, then sets the interrupt flag again). Used by {@code FileOutbox}.
 */
final class Journal implements AutoCloseable {
  /**
   * A record's position: its segment, where its payload starts, and the payload's length.
   *
   * @param segment the segment
   * @param offset where the payload starts
   * @param length the payload's length
   */
  record Position(long segment, long offset, int length) {
    /** Where the whole record starts. */
    long recordStart() {
      return offset - JournalFormat.HEADER;
    }

    /** Where the whole record ends (exclusive). */
    long recordEnd() {
      return offset + length + 4;
    }
  }

  /** Receives the records of a replay, in file order. */
  public interface Reader {
    /** A valid record. */
    void record(byte type, byte[] payload, Position at);

    /** A damaged or incomplete range {@code [start, end)} of a segment, skipped whole. */
    void damaged(long segment, long start, long end, String why);
  }

  /** The largest payload one record holds; {@link #append} refuses more before writing. */
  public static final int MAX_PAYLOAD = 64 << 20;

  private final Path dir;
  private final long maxSegment;
  private final Map<Long, FileChannel> channels = new ConcurrentHashMap<>();
  private final Object appendLock = new Object();
  private final Object forceLock = new Object();
  private volatile boolean closed;
  private long active;

  /** The active segment's size, kept here: no {@code fstat} per append. */
  private long activeSize;

  private volatile long written;
  private long forced;
  private long forcedSegment = -1;

  private Journal(Path dir, long maxSegment) {
    this.dir = dir;
    this.maxSegment = maxSegment;
  }

  /** Thrown by {@link #append} for a payload over {@link #MAX_PAYLOAD}; nothing was written. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(int length) {
      super(
          "a record of "
              + length
              + " bytes is more than the "
              + MAX_PAYLOAD
              + " one journal record holds");
    }
  }

  /**
   * Opens the journal in {@code dir}, replaying every record and damaged range to {@code reader};
   * new records go to the newest segment if it is empty, else to a new one. Empty older segments
   * (they hold nothing) are deleted.
   */
  public static Journal open(Path dir, long maxSegment, Reader reader) throws IOException {
    Journal j = new Journal(dir, maxSegment);
    List<Long> segments = segments(dir);
    for (long s : segments) {
      FileChannel ch = j.openChannel(s, false);
      j.channels.put(s, ch);
      JournalFormat.replay(s, ch, reader);
    }
    long newest = segments.isEmpty() ? 0 : segments.get(segments.size() - 1);
    for (long s : segments) {
      if (s != newest && Objects.requireNonNull(j.channels.get(s)).size() == 0) {
        j.delete(s);
      }
    }
    if (newest > 0 && Objects.requireNonNull(j.channels.get(newest)).size() == 0) {
      j.active = newest; // a restart without a write in between leaves no empty segment behind
      j.activeSize = 0;
    } else {
      j.active = newest + 1;
      j.create(j.active);
    }
    return j;
  }

  /** Replays a journal directory without opening it for writing (it may be in use). */
  public static void read(Path dir, Reader reader) throws IOException {
    for (long s : segments(dir)) {
      try (FileChannel ch =
          FileChannel.open(
              dir.resolve(name(s)), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
        JournalFormat.replay(s, ch, reader);
      }
    }
  }

  /**
   * Appends a record; with {@code durable}, returns once it is on disk (sharing the force with
   * concurrent callers). A failed write is cut off again: nothing half-written stays behind.
   *
   * @throws TooLargeException if the payload is over {@link #MAX_PAYLOAD} (nothing written)
   */
  public Position append(byte type, byte[] payload, boolean durable) throws IOException {
    if (payload.length > MAX_PAYLOAD) {
      throw new TooLargeException(payload.length);
    }
    ByteBuffer record = JournalFormat.encode(type, payload);
    long segment;
    long end;
    long start;
    synchronized (appendLock) {
      checkOpen();
      long size = activeSize;
      if (size > 0 && size + record.remaining() > maxSegment) {
        active++;
        create(active);
        size = 0;
        activeSize = 0;
      }
      start = size;
      segment = active;
      try {
        run(
            segment,
            ch -> {
              record.rewind(); // a repeat after an interrupt writes the whole record again
              long pos = start;
              while (record.hasRemaining()) {
                pos += ch.write(record, pos);
              }
            });
      } catch (IOException | RuntimeException e) {
        try {
          io(segment, ch -> ch.truncate(start));
        } catch (IOException ignored) {
          // a torn record at the end is reported (and skipped) at the next open
        }
        throw e;
      }
      end = start + JournalFormat.OVERHEAD + payload.length;
      activeSize = end;
      written = end;
    }
    if (durable) {
      force(segment, end);
    }
    return new Position(segment, start + JournalFormat.HEADER, payload.length);
  }

  private void force(long segment, long end) throws IOException {
    synchronized (forceLock) {
      if (forcedSegment > segment || (forcedSegment == segment && forced >= end)) {
        return; // a force that began after this record was written covered it
      }
      long upTo;
      long current;
      synchronized (appendLock) {
        upTo = written;
        current = active;
      }
      run(
          segment,
          ch -> {
            ch.force(false);
          });
      if (current == segment) {
        forcedSegment = segment;
        forced = Math.max(upTo, end);
      } else if (segment > forcedSegment) {
        forcedSegment = segment; // rotated meanwhile: only this segment is known to be forced
        forced = end;
      }
    }
  }

  /** Reads a record's payload. */
  public byte[] read(Position at) throws IOException {
    return io(
        at.segment(),
        ch -> {
          ByteBuffer b = ByteBuffer.allocate(at.length());
          JournalFormat.readFully(ch, b, at.offset());
          return b.array();
        });
  }

  /** An operation on a segment's channel that may be repeated from the start. */
  private interface ChannelOp<T> {
    T apply(FileChannel ch) throws IOException;
  }

  /** The same, without a result. */
  private interface ChannelAction {
    void run(FileChannel ch) throws IOException;
  }

  private void run(long segment, ChannelAction action) throws IOException {
    Boolean unused =
        io(
            segment,
            ch -> {
              action.run(ch);
              return Boolean.TRUE;
            });
  }

  /**
   * Runs {@code op} on the segment's channel; if the channel was closed by an interrupt (of this or
   * another thread), reopens it and runs {@code op} again with the interrupt flag cleared, then
   * sets the flag again.
   */
  private <T> T io(long segment, ChannelOp<T> op) throws IOException {
    boolean interrupted = false;
    try {
      for (int attempt = 1; ; attempt++) {
        FileChannel ch = channel(segment);
        try {
          return op.apply(ch);
        } catch (ClosedChannelException e) {
          if (closed || attempt == 3) {
            throw e;
          }
          interrupted |= Thread.interrupted();
          reopen(segment, ch);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void reopen(long segment, FileChannel broken) throws IOException {
    synchronized (channels) {
      if (channels.get(segment) == broken && !closed) {
        channels.put(segment, openChannel(segment, false));
      }
    }
  }

  /** The segment new records go to. */
  public long activeSegment() {
    synchronized (appendLock) {
      return active;
    }
  }

  /** Deletes a segment that holds nothing needed any more (never the active one). */
  public void delete(long segment) throws IOException {
    synchronized (appendLock) {
      if (segment == active) {
        return;
      }
      FileChannel ch = channels.remove(segment);
      if (ch != null) {
        ch.close();
      }
      Files.deleteIfExists(file(segment));
    }
  }

  /** The segments this journal has open (all on disk), oldest first; no file system call. */
  public List<Long> segments() {
    List<Long> list = new ArrayList<>(channels.keySet());
    Collections.sort(list);
    return list;
  }

  private FileChannel channel(long segment) throws IOException {
    FileChannel ch = channels.get(segment);
    if (ch == null) {
      throw new IOException("journal segment " + name(segment) + " is gone");
    }
    return ch;
  }

  private FileChannel openChannel(long segment, boolean create) throws IOException {
    Set<OpenOption> options =
        new HashSet<>(
            List.of(StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
    if (create) {
      options.add(StandardOpenOption.CREATE_NEW);
    }
    Path file = file(segment);
    return FileChannel.open(file, options, PrivateFiles.fileAttributes(file));
  }

  private void create(long segment) throws IOException {
    channels.put(segment, openChannel(segment, true));
    boolean interrupted = Thread.interrupted(); // forcing the directory must not be interrupted
    try {
      OutboxFiles.forceDirectory(dir); // the new segment's name survives a power loss
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new ClosedChannelException();
    }
  }

  private Path file(long segment) {
    return dir.resolve(name(segment));
  }

  private static String name(long segment) {
    return String.format("%016d.log", segment);
  }

  private static List<Long> segments(Path dir) throws IOException {
    List<Long> list = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.log")) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        try {
          list.add(Long.parseLong(n.substring(0, n.length() - 4)));
        } catch (NumberFormatException e) {
          // not ours
        }
      }
    }
    Collections.sort(list);
    return list;
  }

  /**
   * Copies the range {@code [start, end)} of a segment to {@code target} (owner-only), unless the
   * target already holds it (the same damage found at an earlier open).
   */
  public void copyOut(long segment, long start, long end, Path target) throws IOException {
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)
        && Files.size(target) == end - start) {
      return;
    }
    Files.deleteIfExists(target);
    try (FileChannel out =
        FileChannel.open(
            target,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PrivateFiles.fileAttributes(target))) {
      run(
          segment,
          ch -> {
            long pos = start;
            while (pos < end) {
              long n = ch.transferTo(pos, end - pos, out);
              if (n <= 0) {
                break;
              }
              pos += n;
            }
          });
      out.force(false);
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (channels) {
      for (FileChannel ch : channels.values()) {
        try {
          ch.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
      channels.clear();
    }
  }

  /** For a caller that wants to know whether a position is still readable. */
  public boolean has(@Nullable Position at) {
    return at != null && channels.containsKey(at.segment());
  }
}
