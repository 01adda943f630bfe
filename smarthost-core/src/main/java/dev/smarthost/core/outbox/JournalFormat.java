package dev.smarthost.core.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link Journal} record is laid out, and how a segment is read back. A record is {@code
 * [magic:2][type:1][length:4][header crc32:4][payload][crc32:4]}: the header's own checksum makes a
 * damaged length recognisable, and the magic lets a replay find the next good record after a
 * damaged range instead of giving up on the rest of the segment. A damaged or incomplete range is
 * reported whole, never cut.
 */
final class JournalFormat {
  static final byte MAGIC_0 = (byte) 0xA5;
  static final byte MAGIC_1 = (byte) 0x4A;
  static final int HEADER = 2 + 1 + 4 + 4;
  static final int OVERHEAD = HEADER + 4;
  private static final int SCAN_WINDOW = 64 * 1024;

  private JournalFormat() {}

  /** The whole record for a payload, ready to write. */
  static ByteBuffer encode(byte type, byte[] payload) {
    ByteBuffer record = ByteBuffer.allocate(OVERHEAD + payload.length);
    record.put(MAGIC_0).put(MAGIC_1).put(type).putInt(payload.length);
    CRC32 head = new CRC32();
    head.update(record.array(), 0, 7);
    record.putInt((int) head.getValue()).put(payload).putInt(crc(type, payload)).flip();
    return record;
  }

  /** Replays one segment to {@code reader}: every good record, every damaged range. */
  static void replay(long segment, FileChannel ch, Journal.Reader reader) throws IOException {
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
          reader.record(type, payload, new Journal.Position(segment, pos + HEADER, length));
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
        || length > Journal.MAX_PAYLOAD
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
  private static void replayVersion1(long segment, FileChannel ch, long size, Journal.Reader reader)
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
      if (length < 0 || length > Journal.MAX_PAYLOAD || pos + 9 + length > size) {
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
        reader.record(type, payload, new Journal.Position(segment, pos + 5, length));
      }
      pos += 9 + length;
    }
  }

  static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
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
}
