package dev.smarthost.redis.internal;

import dev.smarthost.SmtpFailure;
import dev.smarthost.SmtpFailureCodec;
import dev.smarthost.core.outbox.OutboxEntry;
import dev.smarthost.core.outbox.OutboxFailures;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fields of a Redis outbox entry (in the stream, the delayed hash and the dead stream): its
 * metadata only; the message itself is a string key of its own, so that listing, counting and
 * moving entries never reads a body. Entries written by an earlier version carry the message as
 * base64 in {@code msg}.
 */
public final class OutboxFields {
  private OutboxFields() {}

  /** An entry read from Redis, and the message of an entry of the earlier format. */
  @SuppressWarnings("ArrayRecordComponent") // carried from the parser to the outbox, never compared
  public record Parsed(OutboxEntry entry, byte @Nullable [] inlineMessage) {}

  /** The fields for an entry. */
  public static Map<String, String> of(
      String id,
      Instant enqueued,
      int attempts,
      Instant next,
      List<String> recipients,
      long size,
      @Nullable SmtpFailure failure) {
    Map<String, String> f = new HashMap<>();
    f.put("id", id);
    f.put("enq", Long.toString(enqueued.toEpochMilli()));
    f.put("att", Integer.toString(attempts));
    f.put("next", Long.toString(next.toEpochMilli()));
    f.put("rcpt", String.join("\n", recipients));
    f.put("size", Long.toString(size));
    if (failure != null) {
      f.putAll(SmtpFailureCodec.REDIS.encode(failure));
    }
    return f;
  }

  /** The fields of an entry with new attempts, next time, recipients and failure. */
  public static Map<String, String> of(
      OutboxEntry e, int attempts, Instant next, List<String> recipients, @Nullable SmtpFailure f) {
    return of(e.id(), e.enqueuedAt(), attempts, next, recipients, e.size(), f);
  }

  /**
   * Parses an entry strictly.
   *
   * @param streamId the stream entry's id (the entry's id when the fields have none)
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static Parsed parse(String streamId, Map<String, String> f) {
    String id = f.getOrDefault("id", "");
    byte[] inline = null;
    if (f.containsKey("msg")) {
      try {
        inline = Base64.getDecoder().decode(f.get("msg"));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("msg: not base64 (" + e.getMessage() + ")", e);
      }
    }
    String rcpt = f.getOrDefault("rcpt", "");
    if (rcpt.isBlank()) {
      throw new IllegalArgumentException("rcpt: no recipients");
    }
    SmtpFailure failure = SmtpFailureCodec.REDIS.decode(f::get).orElse(null);
    long size = inline != null ? inline.length : number(f, "size", 0, Long.MAX_VALUE);
    OutboxEntry entry =
        new OutboxEntry(
            id.isEmpty() ? streamId : id,
            Instant.ofEpochMilli(number(f, "enq", 0, Long.MAX_VALUE)),
            (int) number(f, "att", 0, Integer.MAX_VALUE),
            Instant.ofEpochMilli(number(f, "next", 0, Long.MAX_VALUE)),
            List.of(rcpt.split("\n")),
            size,
            failure);
    return new Parsed(entry, inline);
  }

  /**
   * Parses an entry for a listing: never fails; what cannot be read is shown as such (its reason in
   * the failure's detail).
   */
  public static OutboxEntry lenient(String streamId, Map<String, String> f) {
    try {
      return parse(streamId, f).entry();
    } catch (RuntimeException e) {
      String id = f.getOrDefault("id", "");
      return new OutboxEntry(
          id.isEmpty() ? streamId : id,
          Instant.EPOCH,
          0,
          Instant.EPOCH,
          List.of(f.getOrDefault("rcpt", "?").split("\n")),
          0,
          OutboxFailures.unreadable(String.valueOf(e.getMessage())));
    }
  }

  private static long number(Map<String, String> f, String key, long min, long max) {
    String v = f.get(key);
    if (v == null) {
      if (key.equals("size")) {
        return 0;
      }
      throw new IllegalArgumentException(key + ": missing");
    }
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        throw new IllegalArgumentException(key + ": out of range");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": not a number", e);
    }
  }
}
