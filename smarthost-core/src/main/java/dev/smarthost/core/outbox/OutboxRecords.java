package dev.smarthost.core.outbox;

import dev.smarthost.SmtpFailure;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The journal records of {@code FileOutbox}: {@code A} an accepted message (id, then the message
 * file encoding of {@link OutboxFiles}), {@code R} its delivery state (id, then properties), {@code
 * D} done (delivered, or moved to {@code dead/}). Replaying them gives the pending entries.
 */
final class OutboxRecords {
  public static final byte ADD = 'A';
  public static final byte STATE = 'R';
  public static final byte DONE = 'D';

  private OutboxRecords() {}

  /** One pending entry as the journal knows it. */
  public static final class Replayed {
    public final String id;
    public final OutboxFiles.Header header;
    public Journal.@Nullable Position at;
    public Properties state = new Properties();

    public Replayed(String id, OutboxFiles.Header header, Journal.@Nullable Position at) {
      this.id = id;
      this.header = header;
      this.at = at;
    }
  }

  public static byte[] add(String id, byte[] encoded) {
    byte[] head = (id + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(head, head.length + encoded.length);
    System.arraycopy(encoded, 0, all, head.length, encoded.length);
    return all;
  }

  public static byte[] state(String id, Properties p) {
    StringWriter w = new StringWriter();
    try {
      p.store(w, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (id + "\n" + w).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] done(String id) {
    return (id + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** The id at the start of a payload. */
  public static String id(byte[] payload) {
    int nl = indexOf(payload, (byte) '\n');
    return new String(payload, 0, nl < 0 ? payload.length : nl, StandardCharsets.UTF_8);
  }

  /** The message bytes of an {@code A} payload (checked against its length and CRC). */
  public static byte[] content(byte[] addPayload) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutboxFiles.read(rest(addPayload), out);
    return out.toByteArray();
  }

  private static InputStream rest(byte[] payload) {
    int nl = indexOf(payload, (byte) '\n');
    return new ByteArrayInputStream(payload, nl + 1, payload.length - nl - 1);
  }

  private static int indexOf(byte[] b, byte c) {
    for (int i = 0; i < b.length; i++) {
      if (b[i] == c) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Applies one record to the replay state; returns the entry an {@code A} record made or moved
   * (its previous position, if any, is in {@code moved}), else null.
   */
  public static @Nullable Replayed apply(
      Map<String, Replayed> live, byte type, byte[] payload, Journal.Position at)
      throws IOException {
    String id = id(payload);
    switch (type) {
      case ADD -> {
        OutboxFiles.Header h = OutboxFiles.read(rest(payload), null);
        Replayed previous = live.get(id);
        Replayed r = new Replayed(id, h, at);
        if (previous != null) {
          r.state = previous.state; // moved forward: same entry, same state
        }
        live.put(id, r);
        return r;
      }
      case STATE -> {
        Replayed r = live.get(id);
        if (r != null) {
          Properties p = new Properties();
          String text = new String(payload, StandardCharsets.UTF_8);
          p.load(new StringReader(text.substring(text.indexOf('\n') + 1)));
          OutboxFiles.checkState(p); // a malformed state is a damaged record, never the entry's
          r.state = p;
        }
        return null;
      }
      case DONE -> {
        live.remove(id);
        return null;
      }
      default -> throw new IOException("unknown record type " + (char) type);
    }
  }

  /** A new replay state, in journal order. */
  public static Map<String, Replayed> newLive() {
    return new LinkedHashMap<>();
  }

  /** The entry a replayed record stands for, with its state. */
  static OutboxEntry entry(Replayed r) {
    return new OutboxEntry(
        r.id,
        r.header.enqueuedAt,
        attempts(r),
        next(r),
        recipients(r),
        r.header.length,
        failure(r));
  }

  /** The entry's attempts, next attempt, recipients and failure from its state. */
  public static int attempts(Replayed r) {
    return Integer.parseInt(r.state.getProperty("attempts", "0"));
  }

  public static Instant next(Replayed r) {
    return Instant.ofEpochMilli(
        Long.parseLong(
            r.state.getProperty("next", Long.toString(r.header.enqueuedAt.toEpochMilli()))));
  }

  public static List<String> recipients(Replayed r) {
    return OutboxFiles.recipients(r.state, r.header.recipients);
  }

  public static @Nullable SmtpFailure failure(Replayed r) {
    return OutboxFiles.failure(r.state);
  }
}
