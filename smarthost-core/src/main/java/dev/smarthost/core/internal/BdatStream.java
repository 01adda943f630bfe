package dev.smarthost.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Cuts what is written into BDAT chunks of a fixed size and hands each to a {@link Sink}; {@link
 * #finish()} hands over the rest as the last chunk. The sink sees the first chunk only when it is
 * full or the message ended, so it can tell a small message (one last chunk) from a large one.
 */
final class BdatStream extends OutputStream {
  /** Receives the chunks in order. */
  interface Sink {
    /**
     * Sends one chunk.
     *
     * @param bytes the chunk, valid until this call returns
     * @param length how many bytes of {@code bytes} belong to the chunk
     * @param last whether this is the message's last chunk
     */
    void chunk(byte[] bytes, int length, boolean last) throws IOException;
  }

  private static final int FIRST_BUFFER = 8 * 1024;

  private final int chunkSize;
  private final Sink sink;
  private byte[] buffer;
  private int count;
  private boolean finished;

  BdatStream(int chunkSize, Sink sink) {
    this.chunkSize = chunkSize;
    this.buffer = new byte[Math.min(FIRST_BUFFER, chunkSize)];
    this.sink = sink;
  }

  @Override
  public void write(int b) throws IOException {
    if (count == buffer.length) {
      full();
    }
    buffer[count++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (count == buffer.length) {
        full();
      }
      int n = Math.min(len, buffer.length - count);
      System.arraycopy(b, off, buffer, count, n);
      count += n;
      off += n;
      len -= n;
    }
  }

  /**
   * A full buffer grows up to the chunk size (a short message never holds a whole chunk); a full
   * chunk goes out only once more bytes follow, since the last chunk must be marked LAST.
   */
  private void full() throws IOException {
    if (buffer.length < chunkSize) {
      buffer = Arrays.copyOf(buffer, Math.min(chunkSize, buffer.length * 2));
      return;
    }
    sink.chunk(buffer, count, false);
    count = 0;
  }

  /** Sends what is left as the last chunk (possibly empty); once. */
  void finish() throws IOException {
    if (!finished) {
      finished = true;
      sink.chunk(buffer, count, true);
      count = 0;
    }
  }

  /** CRLF line ends (Angus' stream) without DATA's dot-stuffing: BDAT counts octets. */
  static final class LineEnds extends org.eclipse.angus.mail.util.CRLFOutputStream {
    LineEnds(OutputStream out) {
      super(out);
    }

    /** Ends the last line, as DATA's end marker needs and a message should have. */
    void ensureAtBOL() throws IOException {
      if (!atBOL) {
        writeln();
      }
    }
  }
}
