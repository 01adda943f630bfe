package dev.smarthost.testkit.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Reads CRLF (or bare LF) terminated lines as bytes, so 8-bit message data passes unchanged. */
public final class LineReader {
  static final int MAX_LINE = 64 * 1024;

  private final InputStream in;
  private byte[] buffer = new byte[256];

  LineReader(InputStream in) {
    this.in = in;
  }

  /**
   * Returns the next line without its terminator, or null at the end of the stream.
   *
   * @throws IOException if the line is longer than {@link #MAX_LINE} or reading fails
   */
  /** Whether the client has sent more than was read so far (it did not wait for a reply). */
  boolean hasBufferedInput() throws IOException {
    return in.available() > 0;
  }

  /**
   * Reads exactly {@code count} bytes (a BDAT chunk).
   *
   * @throws IOException if the stream ends first
   */
  byte[] readExactly(int count) throws IOException {
    byte[] chunk = in.readNBytes(count);
    if (chunk.length < count) {
      throw new IOException("the client closed after " + chunk.length + " of " + count + " bytes");
    }
    return chunk;
  }

  byte @Nullable [] readLine() throws IOException {
    int length = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return length == 0 ? null : Arrays.copyOf(buffer, length);
      }
      if (b == '\n') {
        if (length > 0 && buffer[length - 1] == '\r') {
          length--;
        }
        return Arrays.copyOf(buffer, length);
      }
      if (length == MAX_LINE) {
        throw new IOException("line longer than " + MAX_LINE + " bytes");
      }
      if (length == buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.min(MAX_LINE, buffer.length * 2));
      }
      buffer[length++] = (byte) b;
    }
  }
}
