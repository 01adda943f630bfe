package dev.smarthost.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * An append-only log of records in segment files ({@code 0000000000000001.log}, …): {@code [type:1]
 * [length:4][payload][crc32:4]}. One {@code fdatasync} makes every record written before it
 * durable, so concurrent writers share it (group commit). A torn record at the end of the newest
 * segment (a crash mid-write) is cut off at the next open; a damaged record elsewhere is reported
 * and skipped. Used by {@code FileOutbox}.
 */
public final class Journal implements AutoCloseable {
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
  }

  /** Receives the records of a replay, oldest first. */
  public interface Reader {
    /** A valid record. */
    void record(byte type, byte[] payload, Position at);

    /** A damaged record, skipped (or the rest of a segment that cannot be read on). */
    void damaged(long segment, long offset, String why);
  }

  private static final int OVERHEAD = 1 + 4 + 4;
  private static final int MAX_RECORD = 64 << 20;

  private final Path dir;
  private final long maxSegment;
  private final Map<Long, FileChannel> channels = new ConcurrentHashMap<>();
  private final Object appendLock = new Object();
  private final Object forceLock = new Object();
  private long active;
  private volatile long written;
  private long forced;
  private long forcedSegment = -1;

  private Journal(Path dir, long maxSegment) {
    this.dir = dir;
    this.maxSegment = maxSegment;
  }

  /**
   * Opens the journal in {@code dir}, replaying every record to {@code reader} and cutting off a
   * torn tail; new records go to a new segment.
   */
  public static Journal open(Path dir, long maxSegment, Reader reader) throws IOException {
    Journal j = new Journal(dir, maxSegment);
    List<Long> segments = segments(dir);
    for (int i = 0; i < segments.size(); i++) {
      long s = segments.get(i);
      FileChannel ch =
          FileChannel.open(j.file(s), StandardOpenOption.READ, StandardOpenOption.WRITE);
      j.channels.put(s, ch);
      boolean last = i == segments.size() - 1;
      long valid = replay(s, ch, reader, last);
      if (valid < ch.size() && last) {
        ch.truncate(valid); // a torn last record: its force never returned, nobody was told
        ch.force(true);
      }
    }
    j.active = segments.isEmpty() ? 1 : segments.get(segments.size() - 1) + 1;
    j.create(j.active);
    return j;
  }

  /** Replays a journal directory without opening it for writing (it may be in use). */
  public static void read(Path dir, Reader reader) throws IOException {
    for (long s : segments(dir)) {
      try (FileChannel ch = FileChannel.open(dir.resolve(name(s)), StandardOpenOption.READ)) {
        replay(s, ch, reader, true); // the writer may be in the middle of a record
      }
    }
  }

  private static long replay(long segment, FileChannel ch, Reader reader, boolean last)
      throws IOException {
    long size = ch.size();
    long pos = 0;
    ByteBuffer head = ByteBuffer.allocate(5);
    while (pos + OVERHEAD <= size) {
      head.clear();
      readFully(ch, head, pos);
      head.flip();
      byte type = head.get();
      int length = head.getInt();
      if (length < 0 || length > MAX_RECORD || pos + OVERHEAD + length > size) {
        if (!last || length < 0 || length > MAX_RECORD) {
          reader.damaged(segment, pos, "damaged record header; the rest of the segment is unread");
        }
        return pos; // else a torn last record: never acknowledged
      }
      ByteBuffer body = ByteBuffer.allocate(length + 4);
      readFully(ch, body, pos + 5);
      body.flip();
      byte[] payload = new byte[length];
      body.get(payload);
      int crc = body.getInt();
      if (crc != crc(type, payload)) {
        reader.damaged(segment, pos, "CRC-32 mismatch");
      } else {
        reader.record(type, payload, new Position(segment, pos + 5, length));
      }
      pos += OVERHEAD + length;
    }
    return pos;
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
   */
  public Position append(byte type, byte[] payload, boolean durable) throws IOException {
    ByteBuffer record = ByteBuffer.allocate(OVERHEAD + payload.length);
    record.put(type).putInt(payload.length).put(payload).putInt(crc(type, payload)).flip();
    long segment;
    long end;
    long start;
    synchronized (appendLock) {
      FileChannel ch = channel(active);
      start = ch.size();
      if (start > 0 && start + record.remaining() > maxSegment) {
        active++;
        create(active);
        ch = channel(active);
        start = 0;
      }
      try {
        long pos = start;
        while (record.hasRemaining()) {
          pos += ch.write(record, pos);
        }
      } catch (IOException | RuntimeException e) {
        try {
          ch.truncate(start);
        } catch (IOException ignored) {
          // the torn record is cut off at the next open
        }
        throw e;
      }
      segment = active;
      end = start + OVERHEAD + payload.length;
      written = end;
    }
    if (durable) {
      force(segment, end);
    }
    return new Position(segment, start + 5, payload.length);
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
      channel(segment).force(false);
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
    ByteBuffer b = ByteBuffer.allocate(at.length);
    readFully(channel(at.segment), b, at.offset);
    return b.array();
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

  private void create(long segment) throws IOException {
    FileChannel ch =
        FileChannel.open(
            file(segment),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    channels.put(segment, ch);
    OutboxFiles.forceDirectory(dir); // the new segment's name survives a power loss
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

  /** A string payload. */
  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Copies {@code length} bytes from a damaged segment for inspection. */
  public void copyOut(long segment, long offset, Path target) throws IOException {
    FileChannel ch = channels.get(segment);
    if (ch == null) {
      return;
    }
    long end = Math.min(ch.size(), offset + 64 * 1024);
    ByteBuffer b = ByteBuffer.allocate((int) Math.max(0, end - offset));
    readFully(ch, b, offset);
    Files.write(target, b.array());
  }

  @Override
  public void close() {
    for (FileChannel ch : channels.values()) {
      try {
        ch.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    channels.clear();
  }

  /** For a caller that wants to know whether a position is still readable. */
  public boolean has(@Nullable Position at) {
    return at != null && channels.containsKey(at.segment);
  }
}
