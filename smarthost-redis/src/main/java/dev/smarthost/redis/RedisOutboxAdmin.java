package dev.smarthost.redis;

import dev.smarthost.core.outbox.OutboxEntry;
import dev.smarthost.redis.internal.OutboxFields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;

/**
 * What an application and its administrator see of a {@link RedisOutbox}, on any node: the views
 * read metadata only (never a message body), a retry moves an entry between the keys in one
 * transaction, so that every node sees it in exactly one place.
 */
final class RedisOutboxAdmin {
  private final OutboxKeys keys;

  RedisOutboxAdmin(OutboxKeys keys) {
    this.keys = keys;
  }

  List<OutboxEntry> pending() {
    List<OutboxEntry> list = new ArrayList<>();
    for (StreamEntry e : keys.redis(j -> j.xrange(keys.stream, "-", "+"))) {
      list.add(OutboxFields.lenient(e.getID().toString(), e.getFields()));
    }
    List<String> waiting = new ArrayList<>(keys.redis(j -> j.zrange(keys.delayed, 0, -1)));
    List<Map<String, String>> hashes =
        keys.redis(
            j -> {
              Pipeline p = j.pipelined();
              List<Response<Map<String, String>>> r = new ArrayList<>();
              waiting.forEach(id -> r.add(p.hgetAll(keys.delayedKey(id))));
              p.sync();
              List<Map<String, String>> out = new ArrayList<>();
              r.forEach(x -> out.add(x.get()));
              return out;
            });
    for (int i = 0; i < waiting.size(); i++) {
      if (!hashes.get(i).isEmpty()) {
        list.add(OutboxFields.lenient(waiting.get(i), hashes.get(i)));
      }
    }
    list.sort(Comparator.comparing(OutboxEntry::enqueuedAt));
    return list;
  }

  List<OutboxEntry> dead() {
    List<OutboxEntry> list = new ArrayList<>();
    for (StreamEntry e : keys.redis(j -> j.xrange(keys.deadStream, "-", "+"))) {
      list.add(OutboxFields.lenient(e.getID().toString(), e.getFields()));
    }
    list.sort(Comparator.comparing(OutboxEntry::enqueuedAt));
    return list;
  }

  int deadCount() {
    return (int) (long) keys.redis(j -> j.xlen(keys.deadStream));
  }

  /** The pending count, or {@code whileAway} if Redis cannot be asked. */
  int pendingCount(int whileAway) {
    try {
      return (int) (long) keys.redis(j -> j.zcard(keys.enqueued));
    } catch (JedisException e) {
      return whileAway;
    }
  }

  Optional<Instant> oldestPending() {
    try {
      List<Tuple> first = keys.redis(j -> j.zrangeWithScores(keys.enqueued, 0, 0));
      return first.isEmpty()
          ? Optional.empty()
          : Optional.of(Instant.ofEpochMilli((long) first.get(0).getScore()));
    } catch (JedisException e) {
      return Optional.empty();
    }
  }

  boolean retry(String id) {
    Instant now = Instant.now();
    if (keys.redis(j -> j.zscore(keys.delayed, id)) != null) {
      // waiting for its retry: due now, attempts reset (promoted at the next look of any node)
      keys.redis(
          j -> {
            Transaction t = j.multi();
            t.hset(
                keys.delayedKey(id), Map.of("att", "0", "next", Long.toString(now.toEpochMilli())));
            t.zadd(keys.delayed, (double) now.toEpochMilli(), id, ZAddParams.zAddParams().xx());
            return t.exec();
          });
      return true;
    }
    for (StreamEntry e : keys.redis(j -> j.xrange(keys.deadStream, "-", "+"))) {
      OutboxEntry d = OutboxFields.lenient(e.getID().toString(), e.getFields());
      if (d.id().equals(id) || e.getID().toString().equals(id)) {
        Map<String, String> f = OutboxFields.of(d, 0, now, d.recipients(), null);
        keys.redis(
            j -> {
              Transaction t = j.multi();
              t.xadd(keys.stream, XAddParams.xAddParams(), f);
              t.zadd(keys.enqueued, (double) d.enqueuedAt().toEpochMilli(), d.id());
              t.xdel(keys.deadStream, e.getID());
              return t.exec();
            });
        return true;
      }
    }
    // pending and not delayed: in the stream, due already
    return keys.redis(j -> j.zscore(keys.enqueued, id)) != null;
  }

  /**
   * Counts as {@link dev.smarthost.core.outbox.Outbox#retryAll} does — the entries in the stream
   * (due already), the delayed ones made due, the dead ones moved back — without asking about each
   * entry in the stream.
   */
  int retryAll() {
    int n = 0;
    for (String id : keys.redis(j -> j.zrange(keys.delayed, 0, -1))) {
      n += retry(id) ? 1 : 0;
    }
    n += (int) (long) keys.redis(j -> j.xlen(keys.stream));
    for (OutboxEntry e : dead()) {
      n += retry(e.id()) ? 1 : 0;
    }
    return n;
  }

  int purgeDead() {
    List<StreamEntry> dead = keys.redis(j -> j.xrange(keys.deadStream, "-", "+"));
    List<String> ids = new ArrayList<>();
    dead.forEach(e -> ids.add(OutboxFields.lenient(e.getID().toString(), e.getFields()).id()));
    List<Double> stillPending =
        ids.isEmpty()
            ? List.of()
            : keys.redis(j -> j.zmscore(keys.enqueued, ids.toArray(String[]::new)));
    keys.redis(
        j -> {
          Transaction t = j.multi();
          for (int i = 0; i < dead.size(); i++) {
            if (stillPending.get(i) == null) {
              t.del(keys.bodyKey(ids.get(i))); // unless a retried copy of it is pending again
            }
            t.xdel(keys.deadStream, dead.get(i).getID());
          }
          return t.exec();
        });
    return dead.size();
  }
}
