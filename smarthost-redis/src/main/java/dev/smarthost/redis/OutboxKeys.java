package dev.smarthost.redis;

import dev.smarthost.redis.internal.OutageLog;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where one {@link RedisOutbox} keeps its entries, and the calls to that Redis: the stream of due
 * entries, {@code <stream>:dead}, {@code <stream>:delayed} (a sorted set by due time, each entry a
 * hash {@code <stream>:delayed:<id>}), {@code <stream>:enqueued} (a sorted set by enqueue time: the
 * pending count) and one string {@code <stream>:body:<id>} per message. Shared by the outbox's
 * delivery side and its administration ({@link RedisOutboxAdmin}).
 */
final class OutboxKeys {
  static final String GROUP = "smarthost";

  final String stream;
  final String deadStream;
  final String delayed;
  final String enqueued;
  private final JedisPool pool;
  private final OutageLog outage;

  OutboxKeys(String stream, JedisPool pool, OutageLog outage) {
    this.stream = stream;
    this.deadStream = stream + ":dead";
    this.delayed = stream + ":delayed";
    this.enqueued = stream + ":enqueued";
    this.pool = pool;
    this.outage = outage;
  }

  byte[] bodyKey(String id) {
    return (stream + ":body:" + id).getBytes(StandardCharsets.UTF_8);
  }

  String delayedKey(String id) {
    return delayed + ":" + id;
  }

  /** Runs one call on a pooled connection; an outage is logged once, when it starts and ends. */
  <T> T redis(Function<Jedis, T> call) {
    try (Jedis j = pool.getResource()) {
      T result = call.apply(j);
      outage.recovered();
      return result;
    } catch (JedisException e) {
      outage.failed(e);
      throw e;
    }
  }

  /**
   * Creates the stream's consumer group unless it exists.
   *
   * @return false (the outage logged once) while Redis is away
   */
  boolean createGroup() {
    try (Jedis j = pool.getResource()) {
      j.xgroupCreate(stream, GROUP, new StreamEntryID(0, 0), true);
    } catch (JedisDataException e) {
      if (!String.valueOf(e.getMessage()).startsWith("BUSYGROUP")) {
        throw e;
      }
    } catch (JedisException e) {
      outage.failed(e);
      return false;
    }
    return true;
  }

  void close() {
    pool.close();
  }
}
