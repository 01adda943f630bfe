package dev.smarthost.redis;

import dev.smarthost.SmtpFailureCodec;
import dev.smarthost.core.outbox.HeldEntries;
import dev.smarthost.core.outbox.OutboxFailures;
import dev.smarthost.redis.internal.OutboxFields;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * How a node takes entries from the shared stream into its {@link HeldEntries}: it moves due
 * retries into the stream, reads new entries with {@code XREADGROUP}, takes over those a dead node
 * left pending longer than {@code claimAfter} ({@code XAUTOCLAIM}), and keeps its own from being
 * taken ({@code XCLAIM} every quarter of it). An entry that cannot be parsed goes to the dead
 * stream on its own, never blocking the entries around it.
 */
final class StreamIntake {
  private static final Logger LOG = LoggerFactory.getLogger(RedisOutbox.class);

  /**
   * Moves the delayed entries that are due (at most ARGV[2]) into the stream, atomically: each
   * entry is in exactly one of the two, whatever node runs it and whenever it dies.
   */
  private static final String PROMOTE =
      "local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0,"
          + " tonumber(ARGV[2]))\n"
          + "for _, id in ipairs(ids) do\n"
          + "  local key = KEYS[1] .. ':' .. id\n"
          + "  local fields = redis.call('HGETALL', key)\n"
          + "  if #fields > 0 then redis.call('XADD', KEYS[2], '*', unpack(fields)) end\n"
          + "  redis.call('DEL', key)\n"
          + "  redis.call('ZREM', KEYS[1], id)\n"
          + "end\n"
          + "return #ids";

  /** Where a held entry is: its stream entry, and the message if an earlier format inlined it. */
  @SuppressWarnings("ArrayRecordComponent") // carried from the stream to delivery, never compared
  record Stored(StreamEntryID streamId, byte @Nullable [] inlineMessage) {}

  private final OutboxKeys keys;
  private final String consumer;
  private final Duration claimAfter;
  private final HeldEntries<Stored> held;
  private volatile long lastTouch;
  private volatile long lastAutoclaim;
  private volatile boolean groupReady;

  StreamIntake(OutboxKeys keys, String consumer, Duration claimAfter, HeldEntries<Stored> held) {
    this.keys = keys;
    this.consumer = consumer;
    this.claimAfter = claimAfter;
    this.held = held;
  }

  /** Creates the consumer group unless it exists; false (logged once) while Redis is away. */
  boolean ensureGroup() {
    if (!groupReady) {
      groupReady = keys.createGroup();
    }
    return groupReady;
  }

  /**
   * Moves due retries into the stream, reads new entries, takes over a dead node's, and keeps the
   * ones held here from being taken.
   */
  void fetch(Instant now, int max) {
    long nowMs = now.toEpochMilli();
    keys.redis(
        j ->
            j.eval(
                PROMOTE,
                List.of(keys.delayed, keys.stream),
                List.of(Long.toString(nowMs), Integer.toString(Math.max(max, 16)))));
    long quarter = Math.max(1_000, claimAfter.toMillis() / 4);
    if (nowMs - lastTouch > quarter && held.size() > 0) {
      StreamEntryID[] ids = streamIds();
      keys.redis(
          j ->
              j.xclaimJustId(
                  keys.stream, OutboxKeys.GROUP, consumer, 0, XClaimParams.xClaimParams(), ids));
      lastTouch = nowMs;
    }
    if (nowMs - lastAutoclaim > quarter) {
      Map.Entry<StreamEntryID, List<StreamEntry>> taken =
          keys.redis(
              j ->
                  j.xautoclaim(
                      keys.stream,
                      OutboxKeys.GROUP,
                      consumer,
                      claimAfter.toMillis(),
                      new StreamEntryID(0, 0),
                      XAutoClaimParams.xAutoClaimParams().count(100)));
      taken.getValue().forEach(this::hold);
      lastAutoclaim = nowMs;
    }
    if (held.size() < max + 100) {
      List<Map.Entry<String, List<StreamEntry>>> read =
          keys.redis(
              j ->
                  j.xreadGroup(
                      OutboxKeys.GROUP,
                      consumer,
                      XReadGroupParams.xReadGroupParams().count(Math.max(max, 16)),
                      Map.of(keys.stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
      if (read != null) {
        for (Map.Entry<String, List<StreamEntry>> s : read) {
          s.getValue().forEach(this::hold);
        }
      }
    }
  }

  /** The stream entries held here. */
  StreamEntryID[] streamIds() {
    return held.locations().stream().map(Stored::streamId).toArray(StreamEntryID[]::new);
  }

  private void hold(@Nullable StreamEntry e) {
    if (e == null || e.getFields() == null) {
      return; // deleted meanwhile
    }
    OutboxFields.Parsed p;
    try {
      p = OutboxFields.parse(e.getID().toString(), e.getFields());
    } catch (RuntimeException bad) {
      poison(e, bad.getMessage());
      return;
    }
    held.holdIfAbsent(p.entry(), new Stored(e.getID(), p.inlineMessage()));
  }

  /** An entry that cannot be parsed goes to the dead stream with its reason, on its own. */
  private void poison(StreamEntry e, @Nullable String why) {
    Map<String, String> f = new HashMap<>(e.getFields());
    f.remove("msg");
    f.putIfAbsent("id", e.getID().toString());
    f.putAll(SmtpFailureCodec.REDIS.encode(OutboxFailures.unreadable(String.valueOf(why))));
    LOG.warn(
        "outbox {}: stream entry {} cannot be read ({}); moved to {}",
        keys.stream,
        e.getID(),
        why,
        keys.deadStream);
    keys.redis(
        j -> {
          Transaction t = j.multi();
          t.xadd(keys.deadStream, XAddParams.xAddParams(), f);
          t.xack(keys.stream, OutboxKeys.GROUP, e.getID());
          t.xdel(keys.stream, e.getID());
          t.zrem(keys.enqueued, f.get("id"));
          return t.exec();
        });
  }
}
