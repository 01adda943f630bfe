package dev.smarthost.core.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes commands and BDAT chunks for {@link PipelinedTransaction} to the connection, buffered, so
 * that a pipelined group leaves in one write; every {@link #flush()} is counted as a round trip.
 */
final class CommandWriter {
  private final OutputStream out;
  private final SmarthostTransport transport;
  private final boolean utf8;
  private int roundTrips;

  /**
   * @param out the connection's output (with its write timeout), buffered
   * @param transport shows each command in its debug trace
   * @param utf8 whether commands are UTF-8 (SMTPUTF8) rather than Latin-1, as Angus writes them
   */
  CommandWriter(OutputStream out, SmarthostTransport transport, boolean utf8) {
    this.out = out;
    this.transport = transport;
    this.utf8 = utf8;
  }

  void command(String cmd) throws IOException {
    if (cmd.indexOf('\r') >= 0 || cmd.indexOf('\n') >= 0) {
      throw new IOException("a command contains a line break: " + cmd.length() + " characters");
    }
    transport.traceCommand(cmd);
    out.write(cmd.getBytes(utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
    out.write('\r');
    out.write('\n');
  }

  void bdat(byte[] bytes, int length, boolean last) throws IOException {
    command("BDAT " + length + (last ? " LAST" : ""));
    out.write(bytes, 0, length);
  }

  /** The stream message data goes to after DATA's 354. */
  OutputStream stream() {
    return out;
  }

  /** Sends what was written and starts waiting for the server: one round trip. */
  void flush() throws IOException {
    out.flush();
    roundTrips++;
  }

  int roundTrips() {
    return roundTrips;
  }
}
