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
import java.util.zip.CRC32;
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
  /** A record's position: its segment and where its payload starts. */
  public static final class Position {
    public final long segment;
    public final long offset;
    public final int length;

    Position(long segment, long offset, int length) {
      this.segment = segment;
      this.offset = offset;
      this.length = length;
    }

    /** Where the whole record starts. */
    public long recordStart() {
      return offset - HEADER;
    }

    /** Where the whole record ends (exclusive). */
    public long recordEnd() {
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

  private static final byte MAGIC_0 = (byte) 0xA5;
  private static final byte MAGIC_1 = (byte) 0x4A;
  private static final int HEADER = 2 + 1 + 4 + 4;
  private static final int OVERHEAD = HEADER + 4;
  private static final int SCAN_WINDOW = 64 * 1024;

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
      replay(s, ch, reader);
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
        replay(s, ch, reader);
      }
    }
  }

  private static void replay(long segment, FileChannel ch, Reader reader) throws IOException {
    long size = ch.size();
    if (size > 0 && !startsWithMagic(ch)) {
      replayVersion1(segment, ch, size, reader);
      return;
    }
    long pos = 0;
    while (pos < size) {
      int length = validHeader(ch, pos, size);
      if (length >= 0) {
        long end = pos + OVERHEAD + length;
        byte type = typeAt(ch, pos);
        byte[] payload = payloadIfValid(ch, pos, type, length);
        if (payload != null) {
          reader.record(type, payload, new Position(segment, pos + HEADER, length));
        } else {
          reader.damaged(segment, pos, end, "CRC-32 mismatch in the record's payload");
        }
        pos = end;
        continue;
      }
      long next = nextHeader(ch, pos + 1, size);
      long end = next < 0 ? size : next;
      reader.damaged(
          segment,
          pos,
          end,
          next < 0
              ? "damaged or incomplete end of the segment"
              : "damaged bytes before the next good record");
      pos = end;
    }
  }

  /** The payload's length if a whole record with a valid header starts at {@code pos}, else -1. */
  private static int validHeader(FileChannel ch, long pos, long size) throws IOException {
    if (pos + OVERHEAD > size) {
      return -1;
    }
    ByteBuffer head = ByteBuffer.allocate(HEADER);
    readFully(ch, head, pos);
    head.flip();
    if (head.get(0) != MAGIC_0 || head.get(1) != MAGIC_1) {
      return -1;
    }
    int length = head.getInt(3);
    CRC32 c = new CRC32();
    c.update(head.array(), 0, 7);
    if ((int) c.getValue() != head.getInt(7)
        || length < 0
        || length > MAX_PAYLOAD
        || pos + OVERHEAD + length > size) {
      return -1;
    }
    return length;
  }

  private static byte typeAt(FileChannel ch, long pos) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1);
    readFully(ch, b, pos + 2);
    return b.get(0);
  }

  private static byte @Nullable [] payloadIfValid(FileChannel ch, long pos, byte type, int length)
      throws IOException {
    ByteBuffer body = ByteBuffer.allocate(length + 4);
    readFully(ch, body, pos + HEADER);
    body.flip();
    byte[] payload = new byte[length];
    body.get(payload);
    return body.getInt() == crc(type, payload) ? payload : null;
  }

  /** The next offset from {@code from} where a record with a valid header starts, or -1. */
  private static long nextHeader(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer window = ByteBuffer.allocate(SCAN_WINDOW);
    for (long base = from; base < size - 1; base += SCAN_WINDOW - 1) {
      window.clear();
      window.limit((int) Math.min(SCAN_WINDOW, size - base));
      readFully(ch, window, base);
      for (int i = 0; i + 1 < window.limit(); i++) {
        if (window.get(i) == MAGIC_0
            && window.get(i + 1) == MAGIC_1
            && validHeader(ch, base + i, size) >= 0) {
          return base + i;
        }
      }
    }
    return -1;
  }

  private static boolean startsWithMagic(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1);
    readFully(ch, b, 0);
    return b.get(0) == MAGIC_0;
  }

  /**
   * The first format, {@code [type:1][length:4][payload][crc32:4]}, still read so that an outbox
   * written by an earlier version is delivered; its first damage ends the segment's replay.
   */
  private static void replayVersion1(long segment, FileChannel ch, long size, Reader reader)
      throws IOException {
    long pos = 0;
    ByteBuffer head = ByteBuffer.allocate(5);
    while (pos < size) {
      head.clear();
      if (pos + 9 > size) {
        reader.damaged(segment, pos, size, "incomplete end of the segment");
        return;
      }
      readFully(ch, head, pos);
      byte type = head.get(0);
      int length = head.getInt(1);
      if (length < 0 || length > MAX_PAYLOAD || pos + 9 + length > size) {
        reader.damaged(segment, pos, size, "damaged record header; the rest of the segment");
        return;
      }
      ByteBuffer body = ByteBuffer.allocate(length + 4);
      readFully(ch, body, pos + 5);
      byte[] payload = new byte[length];
      body.flip();
      body.get(payload);
      if (body.getInt() != crc(type, payload)) {
        reader.damaged(segment, pos, pos + 9 + length, "CRC-32 mismatch");
      } else {
        reader.record(type, payload, new Position(segment, pos + 5, length));
      }
      pos += 9 + length;
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of journal");
      }
      pos += n;
    }
  }

  private static int crc(byte type, byte[] payload) {
    CRC32 c = new CRC32();
    c.update(type);
    c.update(payload);
    return (int) c.getValue();
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
    ByteBuffer record = ByteBuffer.allocate(OVERHEAD + payload.length);
    record.put(MAGIC_0).put(MAGIC_1).put(type).putInt(payload.length);
    CRC32 head = new CRC32();
    head.update(record.array(), 0, 7);
    record.putInt((int) head.getValue()).put(payload).putInt(crc(type, payload)).flip();
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
      end = start + OVERHEAD + payload.length;
      activeSize = end;
      written = end;
    }
    if (durable) {
      force(segment, end);
    }
    return new Position(segment, start + HEADER, payload.length);
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
        at.segment,
        ch -> {
          ByteBuffer b = ByteBuffer.allocate(at.length);
          readFully(ch, b, at.offset);
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
    return at != null && channels.containsKey(at.segment);
  }
}
