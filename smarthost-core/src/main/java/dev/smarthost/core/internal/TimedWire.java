package dev.smarthost.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The connection's output for {@link PipelinedTransaction}, with the write timeout Angus puts on
 * its own writes: a write that blocks longer closes the socket and fails with Angus' message
 * ("Write timed out"), which the failure classifier knows.
 */
final class TimedWire extends OutputStream {
  private final OutputStream out;
  private final Socket socket;
  private final long timeoutMillis;

  /** Whether a timeout closed the socket: every later failure of this wire is that timeout. */
  private volatile boolean timedOut;

  /**
   * @param out the stream of the connection's top socket (TLS, if started)
   * @param socket the plain socket underneath, closed on timeout (closing it stops any write)
   * @param timeoutMillis the longest a write may block; 0 or less for none
   */
  TimedWire(OutputStream out, Socket socket, long timeoutMillis) {
    this.out = out;
    this.socket = socket;
    this.timeoutMillis = timeoutMillis;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    timed(() -> out.write(b, off, len));
  }

  @Override
  public void flush() throws IOException {
    timed(out::flush);
  }

  private interface Io {
    void run() throws IOException;
  }

  private void timed(Io io) throws IOException {
    if (timeoutMillis <= 0) {
      io.run();
      return;
    }
    AtomicBoolean fired = new AtomicBoolean();
    ScheduledFuture<?> timeout =
        WriteTimeouts.executor()
            .schedule(
                () -> {
                  fired.set(true);
                  timedOut = true;
                  try {
                    socket.close();
                  } catch (IOException ignored) {
                    // the write fails either way
                  }
                },
                timeoutMillis,
                TimeUnit.MILLISECONDS);
    try {
      io.run();
    } catch (IOException e) {
      // also when an earlier write's timer closed the socket just as that write returned
      throw timedOut ? new IOException("Write timed out", e) : e;
    } finally {
      timeout.cancel(false);
    }
    if (fired.get()) {
      throw new IOException("Write timed out"); // returned, but the socket is closed now
    }
  }
}
