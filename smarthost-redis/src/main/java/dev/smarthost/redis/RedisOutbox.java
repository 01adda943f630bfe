package dev.smarthost.redis;

import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmtpFailure;
import dev.smarthost.SmtpFailureCodec;
import dev.smarthost.core.outbox.OutboxEntry;
import dev.smarthost.core.outbox.OutboxFailures;
import dev.smarthost.core.outbox.OutboxStore;
import dev.smarthost.redis.internal.OutageLog;
import dev.smarthost.redis.internal.OutboxFields;
import dev.smarthost.redis.internal.RedisEndpoint;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;

/**
 * An {@link dev.smarthost.core.outbox.OutboxStore} shared by several nodes on a Redis stream with
 * one consumer group: {@code enqueue} returns once Redis acknowledged it; each node reads new
 * entries with {@code XREADGROUP}, and entries a dead node left pending longer than {@code
 * claimAfter} are taken over with {@code XAUTOCLAIM}. The stream holds only entries that are due: a
 * retry waits in a sorted set ({@code <stream>:delayed}, by due time) and goes back into the stream
 * when due, so entries waiting for a retry never stop a node from reading new ones. Give-ups go to
 * the {@code <stream>:dead} stream with their reason.
 *
 * <p>Stream entries hold metadata only; each message is a string key of its own ({@code
 * <stream>:body:<id>}), and {@code <stream>:enqueued} (a sorted set by enqueue time) counts the
 * pending entries: health probes and status pages ({@link #pendingCount}, {@link #oldestPending},
 * {@link #deadCount}, {@link #pending}, {@link #dead}) never read a message body. An entry that
 * cannot be parsed (a hand edit, another writer) is moved to the dead stream with its reason on its
 * own, never blocking the entries around it.
 *
 * <pre>{@code
 * RedisOutbox outbox = RedisOutbox.builder(URI.create("redis://redis.cluster:6379"))
 *     .stream("smarthost/outbox")
 *     .claimAfter(Duration.ofSeconds(60))
 *     .build();
 * }</pre>
 *
 * <p>How durable an acknowledged {@code enqueue} is depends on Redis: with {@code appendonly yes}
 * and {@code appendfsync always} it is on Redis' disk; with {@code everysec} up to a second of
 * entries can be lost if Redis itself crashes; with snapshots only, everything since the last one.
 * A single Redis (or a primary with replicas), not Redis Cluster: the delayed entries are moved by
 * a script that names keys of its own. Thread-safe.
 */
public final class RedisOutbox implements OutboxStore {
  private static final Logger LOG = LoggerFactory.getLogger(RedisOutbox.class);
  private static final String GROUP = "smarthost";

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

  /** Default stream. */
  public static final String DEFAULT_STREAM = "smarthost/outbox";

  /** Default time after which another node takes over a dead node's entries: 60 s. */
  public static final Duration DEFAULT_CLAIM_AFTER = Duration.ofSeconds(60);

  /** Default largest message: 10 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 10 << 20;

  private final JedisPool pool;
  private final String stream;
  private final String deadStream;
  private final String delayed;
  private final String enqueued;
  private final String consumer;
  private final Duration claimAfter;
  private final int maxMessageBytes;
  private final OutageLog outage;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private volatile long lastTouch;
  private volatile long lastAutoclaim;
  private volatile boolean groupReady;

  /** An entry this node has read from the stream: due, or being delivered. */
  private static final class Held {
    final StreamEntryID streamId;
    final OutboxEntry entry;
    final byte @Nullable [] inlineMessage;
    volatile boolean claimed;

    Held(StreamEntryID streamId, OutboxEntry entry, byte @Nullable [] inlineMessage) {
      this.streamId = streamId;
      this.entry = entry;
      this.inlineMessage = inlineMessage;
    }
  }

  private RedisOutbox(Builder b) {
    RedisEndpoint endpoint = new RedisEndpoint(b.uri, b.timeout, b.timeout, b.trustStore);
    this.pool = endpoint.pool();
    this.stream = b.stream;
    this.deadStream = b.stream + ":dead";
    this.delayed = b.stream + ":delayed";
    this.enqueued = b.stream + ":enqueued";
    this.consumer = b.consumer;
    this.claimAfter = b.claimAfter;
    this.maxMessageBytes = b.maxMessageBytes;
    this.outage =
        new OutageLog(
            LOG,
            "outbox " + endpoint + " " + stream,
            "enqueue refuses new messages, entries already read are delivered, retrying");
    ensureGroup();
  }

  /**
   * Starts configuring an outbox on the Redis at {@code uri}.
   *
   * @param uri {@code redis://[user:password@]host:port[/db]} or {@code rediss://…} (TLS)
   * @return a new builder
   */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  private boolean ensureGroup() {
    if (groupReady) {
      return true;
    }
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
    groupReady = true;
    return true;
  }

  private <T> T redis(Function<Jedis, T> call) {
    try (Jedis j = pool.getResource()) {
      T result = call.apply(j);
      outage.recovered();
      return result;
    } catch (JedisException e) {
      outage.failed(e);
      throw e;
    }
  }

  private byte[] bodyKey(String id) {
    return (stream + ":body:" + id).getBytes(StandardCharsets.UTF_8);
  }

  private String delayedKey(String id) {
    return delayed + ":" + id;
  }

  @Override
  public String add(byte[] message, List<String> recipients) {
    Objects.requireNonNull(message, "message");
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("recipients: none");
    }
    if (message.length > maxMessageBytes) {
      throw new SmarthostOutboxException(
          "outbox "
              + stream
              + ": the message has "
              + message.length
              + " bytes, more than the "
              + maxMessageBytes
              + " this outbox accepts (maxMessageBytes); nothing was kept",
          null);
    }
    Instant now = Instant.now();
    String id = newId(now);
    Map<String, String> fields = OutboxFields.of(id, now, 0, now, recipients, message.length, null);
    try {
      ensureGroup();
      redis(
          j -> {
            Transaction t = j.multi();
            t.set(bodyKey(id), message);
            t.xadd(stream, XAddParams.xAddParams(), fields);
            t.zadd(enqueued, (double) now.toEpochMilli(), id);
            return t.exec();
          });
      return id;
    } catch (JedisException e) {
      throw new SmarthostOutboxException(
          "outbox " + stream + ": Redis did not take the message (" + e + "); nothing was kept", e);
    }
  }

  private static String newId(Instant now) {
    return String.format("%013d-%016x", now.toEpochMilli(), ThreadLocalRandom.current().nextLong());
  }

  @Override
  public List<OutboxEntry> pending() {
    List<OutboxEntry> list = new ArrayList<>();
    for (StreamEntry e : redis(j -> j.xrange(stream, "-", "+"))) {
      list.add(OutboxFields.lenient(e.getID().toString(), e.getFields()));
    }
    List<String> waiting = new ArrayList<>(redis(j -> j.zrange(delayed, 0, -1)));
    List<Map<String, String>> hashes =
        redis(
            j -> {
              Pipeline p = j.pipelined();
              List<Response<Map<String, String>>> r = new ArrayList<>();
              waiting.forEach(id -> r.add(p.hgetAll(delayedKey(id))));
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

  @Override
  public List<OutboxEntry> dead() {
    List<OutboxEntry> list = new ArrayList<>();
    for (StreamEntry e : redis(j -> j.xrange(deadStream, "-", "+"))) {
      list.add(OutboxFields.lenient(e.getID().toString(), e.getFields()));
    }
    list.sort(Comparator.comparing(OutboxEntry::enqueuedAt));
    return list;
  }

  @Override
  public int deadCount() {
    return (int) (long) redis(j -> j.xlen(deadStream));
  }

  @Override
  public int pendingCount() {
    try {
      return (int) (long) redis(j -> j.zcard(enqueued));
    } catch (JedisException e) {
      return held.size();
    }
  }

  @Override
  public Optional<Instant> oldestPending() {
    try {
      List<Tuple> first = redis(j -> j.zrangeWithScores(enqueued, 0, 0));
      return first.isEmpty()
          ? Optional.empty()
          : Optional.of(Instant.ofEpochMilli((long) first.get(0).getScore()));
    } catch (JedisException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean retry(String id) {
    Instant now = Instant.now();
    if (redis(j -> j.zscore(delayed, id)) != null) {
      // waiting for its retry: due now, attempts reset (promoted at the next look of any node)
      redis(
          j -> {
            Transaction t = j.multi();
            t.hset(delayedKey(id), Map.of("att", "0", "next", Long.toString(now.toEpochMilli())));
            t.zadd(delayed, (double) now.toEpochMilli(), id, ZAddParams.zAddParams().xx());
            return t.exec();
          });
      return true;
    }
    for (StreamEntry e : redis(j -> j.xrange(deadStream, "-", "+"))) {
      OutboxEntry d = OutboxFields.lenient(e.getID().toString(), e.getFields());
      if (d.id().equals(id) || e.getID().toString().equals(id)) {
        Map<String, String> f = OutboxFields.of(d, 0, now, d.recipients(), null);
        redis(
            j -> {
              Transaction t = j.multi();
              t.xadd(stream, XAddParams.xAddParams(), f);
              t.zadd(enqueued, (double) d.enqueuedAt().toEpochMilli(), d.id());
              t.xdel(deadStream, e.getID());
              return t.exec();
            });
        return true;
      }
    }
    // in the stream: due already
    return redis(j -> j.zscore(enqueued, id)) != null;
  }

  @Override
  public int retryAll() {
    int n = 0;
    for (String id : redis(j -> j.zrange(delayed, 0, -1))) {
      n += retry(id) ? 1 : 0;
    }
    for (OutboxEntry e : dead()) {
      n += retry(e.id()) ? 1 : 0;
    }
    return n;
  }

  @Override
  public int purgeDead() {
    List<StreamEntry> dead = redis(j -> j.xrange(deadStream, "-", "+"));
    List<String> ids = new ArrayList<>();
    dead.forEach(e -> ids.add(OutboxFields.lenient(e.getID().toString(), e.getFields()).id()));
    List<Double> stillPending =
        ids.isEmpty() ? List.of() : redis(j -> j.zmscore(enqueued, ids.toArray(String[]::new)));
    redis(
        j -> {
          Transaction t = j.multi();
          for (int i = 0; i < dead.size(); i++) {
            if (stillPending.get(i) == null) {
              t.del(bodyKey(ids.get(i))); // unless a retried copy of it is pending again
            }
            t.xdel(deadStream, dead.get(i).getID());
          }
          return t.exec();
        });
    return dead.size();
  }

  @Override
  public List<OutboxEntry> claimDue(Instant now, int max) {
    try {
      if (ensureGroup()) {
        fetch(now, max);
      }
    } catch (JedisException e) {
      // the outage is logged once; entries already read are still delivered
    }
    List<OutboxEntry> due = new ArrayList<>();
    for (Held h : held.values()) {
      if (due.size() >= max) {
        break;
      }
      synchronized (h) {
        if (!h.claimed && !h.entry.nextAttemptAt().isAfter(now)) {
          h.claimed = true;
          due.add(h.entry);
        }
      }
    }
    due.sort(Comparator.comparing(OutboxEntry::enqueuedAt));
    return due;
  }

  /**
   * Moves due retries into the stream, reads new entries, takes over a dead node's, and keeps the
   * ones held here from being taken.
   */
  private void fetch(Instant now, int max) {
    long nowMs = now.toEpochMilli();
    redis(
        j ->
            j.eval(
                PROMOTE,
                List.of(delayed, stream),
                List.of(Long.toString(nowMs), Integer.toString(Math.max(max, 16)))));
    long quarter = Math.max(1_000, claimAfter.toMillis() / 4);
    if (nowMs - lastTouch > quarter && !held.isEmpty()) {
      StreamEntryID[] ids =
          held.values().stream().map(h -> h.streamId).toArray(StreamEntryID[]::new);
      redis(j -> j.xclaimJustId(stream, GROUP, consumer, 0, XClaimParams.xClaimParams(), ids));
      lastTouch = nowMs;
    }
    if (nowMs - lastAutoclaim > quarter) {
      Map.Entry<StreamEntryID, List<StreamEntry>> taken =
          redis(
              j ->
                  j.xautoclaim(
                      stream,
                      GROUP,
                      consumer,
                      claimAfter.toMillis(),
                      new StreamEntryID(0, 0),
                      XAutoClaimParams.xAutoClaimParams().count(100)));
      taken.getValue().forEach(this::hold);
      lastAutoclaim = nowMs;
    }
    if (held.size() < max + 100) {
      List<Map.Entry<String, List<StreamEntry>>> read =
          redis(
              j ->
                  j.xreadGroup(
                      GROUP,
                      consumer,
                      XReadGroupParams.xReadGroupParams().count(Math.max(max, 16)),
                      Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)));
      if (read != null) {
        for (Map.Entry<String, List<StreamEntry>> s : read) {
          s.getValue().forEach(this::hold);
        }
      }
    }
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
    held.putIfAbsent(p.entry().id(), new Held(e.getID(), p.entry(), p.inlineMessage()));
  }

  /** An entry that cannot be parsed goes to the dead stream with its reason, on its own. */
  private void poison(StreamEntry e, @Nullable String why) {
    Map<String, String> f = new HashMap<>(e.getFields());
    f.remove("msg");
    f.putIfAbsent("id", e.getID().toString());
    f.putAll(SmtpFailureCodec.REDIS.encode(OutboxFailures.unreadable(String.valueOf(why))));
    LOG.warn(
        "outbox {}: stream entry {} cannot be read ({}); moved to {}",
        stream,
        e.getID(),
        why,
        deadStream);
    redis(
        j -> {
          Transaction t = j.multi();
          t.xadd(deadStream, XAddParams.xAddParams(), f);
          t.xack(stream, GROUP, e.getID());
          t.xdel(stream, e.getID());
          t.zrem(enqueued, f.get("id"));
          return t.exec();
        });
  }

  @Override
  public Optional<Instant> nextDue() {
    return held.values().stream()
        .filter(h -> !h.claimed)
        .map(h -> h.entry.nextAttemptAt())
        .min(Instant::compareTo);
  }

  @Override
  public byte[] content(String id) {
    Held h = held.get(id);
    if (h == null) {
      throw new SmarthostOutboxException(
          "outbox " + stream + ": " + id + " is not held here", null);
    }
    if (h.inlineMessage != null) {
      return h.inlineMessage;
    }
    byte[] body;
    try {
      body = redis(j -> j.get(bodyKey(id)));
    } catch (JedisException e) {
      throw new SmarthostOutboxException(
          "outbox " + stream + ": cannot read " + id + " (" + e + ")", e);
    }
    if (body == null) {
      throw new SmarthostOutboxException(
          "outbox " + stream + ": the message of " + id + " is gone from Redis", null);
    }
    return body;
  }

  @Override
  public void delivered(String id) {
    Held h = held.remove(id);
    if (h != null) {
      try {
        redis(
            j -> {
              Transaction t = j.multi();
              t.xack(stream, GROUP, h.streamId);
              t.xdel(stream, h.streamId);
              t.del(bodyKey(id));
              t.zrem(enqueued, id);
              return t.exec();
            });
      } catch (JedisException e) {
        // not acknowledged: delivered once more after claimAfter (at least once), never lost
      }
    }
  }

  @Override
  public void reschedule(String id, List<String> recipients, Instant next, SmtpFailure failure) {
    Held h = held.remove(id);
    if (h == null) {
      return;
    }
    OutboxEntry e = h.entry;
    Map<String, String> f = OutboxFields.of(e, e.attempts() + 1, next, recipients, failure);
    try {
      redis(
          j -> {
            Transaction t = j.multi();
            if (h.inlineMessage != null) {
              t.set(bodyKey(id), h.inlineMessage); // an entry of the earlier format
            }
            t.del(delayedKey(id));
            t.hset(delayedKey(id), f);
            t.zadd(delayed, (double) next.toEpochMilli(), id);
            t.zadd(enqueued, (double) e.enqueuedAt().toEpochMilli(), id);
            t.xack(stream, GROUP, h.streamId);
            t.xdel(stream, h.streamId);
            return t.exec();
          });
    } catch (JedisException ex) {
      // Redis is away: keep it here and try again when due (the old entry stays pending there)
      held.put(
          id,
          new Held(
              h.streamId, e.with(e.attempts() + 1, next, recipients, failure), h.inlineMessage));
    }
  }

  @Override
  public void bury(String id, List<String> recipients, SmtpFailure reason) {
    Held h = held.get(id);
    if (h == null) {
      return;
    }
    OutboxEntry e = h.entry;
    boolean all = recipients.containsAll(e.recipients());
    String deadId =
        all ? id : id + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
    Map<String, String> f =
        OutboxFields.of(
            deadId, e.enqueuedAt(), e.attempts() + 1, Instant.now(), recipients, e.size(), reason);
    try {
      byte[] body = all && h.inlineMessage == null ? null : content(id);
      redis(
          j -> {
            Transaction t = j.multi();
            if (body != null) {
              t.set(bodyKey(deadId), body);
            }
            t.xadd(deadStream, XAddParams.xAddParams(), f);
            if (all) {
              t.xack(stream, GROUP, h.streamId);
              t.xdel(stream, h.streamId);
              t.zrem(enqueued, id);
            }
            return t.exec();
          });
    } catch (JedisException | SmarthostOutboxException ex) {
      throw new SmarthostOutboxException(
          "outbox "
              + stream
              + ": cannot write the dead entry for "
              + id
              + " ("
              + ex
              + ");"
              + " it stays pending",
          ex);
    }
    if (all) {
      held.remove(id);
    } else {
      List<String> left = new ArrayList<>(e.recipients());
      left.removeAll(recipients);
      Held rest =
          new Held(
              h.streamId,
              e.with(e.attempts(), e.nextAttemptAt(), left, e.lastFailure().orElse(null)),
              h.inlineMessage);
      rest.claimed = true;
      held.put(id, rest);
    }
    LOG.warn(
        "outbox {}: gave up on {} for {} recipient(s): {}", stream, id, recipients.size(), reason);
  }

  @Override
  public void release(String id) {
    Held h = held.get(id);
    if (h != null) {
      synchronized (h) {
        h.claimed = false;
      }
    }
  }

  /**
   * Hands the entries this node read but did not deliver back to the group (marked idle, so that
   * the next node to look takes them over at once), then closes the connections. If Redis is away,
   * they are taken over after {@code claimAfter} as after a crash.
   */
  @Override
  public void close() {
    StreamEntryID[] ids = held.values().stream().map(h -> h.streamId).toArray(StreamEntryID[]::new);
    if (ids.length > 0) {
      try {
        redis(
            j ->
                j.xclaimJustId(
                    stream,
                    GROUP,
                    consumer,
                    0,
                    XClaimParams.xClaimParams().idle(Duration.ofDays(365).toMillis()),
                    ids));
      } catch (JedisException e) {
        // taken over after claimAfter
      }
    }
    held.clear();
    pool.close();
  }

  @Override
  public String toString() {
    return "RedisOutbox{" + stream + ", consumer=" + consumer + "}";
  }

  /** Configures a {@link RedisOutbox}. */
  public static final class Builder {
    private final URI uri;
    private String stream = DEFAULT_STREAM;
    private Duration claimAfter = DEFAULT_CLAIM_AFTER;
    private Duration timeout = Duration.ofSeconds(2);
    private String consumer = defaultConsumer();
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    private @Nullable KeyStore trustStore;

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    private static String defaultConsumer() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "localhost";
      }
      return host + "-" + ProcessHandle.current().pid();
    }

    /**
     * Sets the stream (one consumer group per stream; dead entries in {@code <stream>:dead}).
     *
     * @param stream default {@value RedisOutbox#DEFAULT_STREAM}
     * @return this builder (for chaining)
     */
    public Builder stream(String stream) {
      if (stream.isBlank()) {
        throw new IllegalArgumentException("stream: must not be blank");
      }
      this.stream = stream;
      return this;
    }

    /**
     * Sets how long an entry may stay with a node that does not deliver it (it died) before another
     * node takes it over.
     *
     * @param claimAfter default 60 s; at least 1 s
     * @return this builder (for chaining)
     */
    public Builder claimAfter(Duration claimAfter) {
      if (claimAfter.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "claimAfter: must be at least 1 s, but was " + claimAfter);
      }
      this.claimAfter = claimAfter;
      return this;
    }

    /**
     * Sets this node's consumer name in the group.
     *
     * @param consumer default host name and process id; unique per running node
     * @return this builder (for chaining)
     */
    public Builder consumer(String consumer) {
      if (consumer.isBlank()) {
        throw new IllegalArgumentException("consumer: must not be blank");
      }
      this.consumer = consumer;
      return this;
    }

    /**
     * Sets the connect and read timeout of every Redis command: {@code enqueue} fails after it when
     * Redis is away, never blocks longer.
     *
     * @param timeout default 2 s
     * @return this builder (for chaining)
     */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout: must be positive, but was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the largest message {@code enqueue} accepts (Redis keeps each in memory).
     *
     * @param bytes default 10 MiB
     * @return this builder (for chaining)
     */
    public Builder maxMessageBytes(int bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxMessageBytes: must be at least 1, but was " + bytes);
      }
      this.maxMessageBytes = bytes;
      return this;
    }

    /**
     * Sets the trust store for {@code rediss://}.
     *
     * @param trustStore the CA certificates to trust
     * @return this builder (for chaining)
     */
    public Builder trustStore(KeyStore trustStore) {
      this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
      return this;
    }

    /**
     * Connects and creates the stream's consumer group if needed.
     *
     * @return the outbox
     * @throws IllegalArgumentException if the URI is not {@code redis://} or {@code rediss://}
     */
    public RedisOutbox build() {
      return new RedisOutbox(this);
    }
  }
}
