package dev.smarthost.redis;

import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.outbox.HeldEntries;
import dev.smarthost.core.outbox.OutboxEntry;
import dev.smarthost.core.outbox.OutboxStore;
import dev.smarthost.redis.StreamIntake.Stored;
import dev.smarthost.redis.internal.OutageLog;
import dev.smarthost.redis.internal.OutboxFields;
import dev.smarthost.redis.internal.RedisEndpoint;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XClaimParams;

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

  /** Default stream. */
  public static final String DEFAULT_STREAM = "smarthost/outbox";

  /** Default time after which another node takes over a dead node's entries: 60 s. */
  public static final Duration DEFAULT_CLAIM_AFTER = Duration.ofSeconds(60);

  /** Default largest message: 10 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 10 << 20;

  private final OutboxKeys keys;
  private final String consumer;
  private final int maxMessageBytes;
  private final HeldEntries<Stored> held = new HeldEntries<>();
  private final StreamIntake intake;
  private final RedisOutboxAdmin admin;

  private RedisOutbox(Builder b) {
    RedisEndpoint endpoint = new RedisEndpoint(b.uri, b.timeout, b.timeout, b.trustStore);
    this.keys =
        new OutboxKeys(
            b.stream,
            endpoint.pool(),
            new OutageLog(
                LOG,
                "outbox " + endpoint + " " + b.stream,
                "enqueue refuses new messages, entries already read are delivered, retrying"));
    this.consumer = b.consumer;
    this.maxMessageBytes = b.maxMessageBytes;
    this.intake = new StreamIntake(keys, consumer, b.claimAfter, held);
    this.admin = new RedisOutboxAdmin(keys);
    intake.ensureGroup();
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

  @Override
  public String add(byte[] message, List<String> recipients) {
    Objects.requireNonNull(message, "message");
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("recipients: none");
    }
    if (message.length > maxMessageBytes) {
      throw new SmarthostOutboxException(
          "outbox "
              + keys.stream
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
      intake.ensureGroup();
      keys.redis(
          j -> {
            Transaction t = j.multi();
            t.set(keys.bodyKey(id), message);
            t.xadd(keys.stream, XAddParams.xAddParams(), fields);
            t.zadd(keys.enqueued, (double) now.toEpochMilli(), id);
            return t.exec();
          });
      return id;
    } catch (JedisException e) {
      throw new SmarthostOutboxException(
          "outbox "
              + keys.stream
              + ": Redis did not take the message ("
              + e
              + "); nothing was kept",
          e);
    }
  }

  private static String newId(Instant now) {
    return String.format("%013d-%016x", now.toEpochMilli(), ThreadLocalRandom.current().nextLong());
  }

  @Override
  public List<OutboxEntry> pending() {
    return admin.pending();
  }

  @Override
  public List<OutboxEntry> dead() {
    return admin.dead();
  }

  @Override
  public int deadCount() {
    return admin.deadCount();
  }

  /** Counted in Redis; while Redis is away, the entries this node holds. */
  @Override
  public int pendingCount() {
    return admin.pendingCount(held.size());
  }

  @Override
  public Optional<Instant> oldestPending() {
    return admin.oldestPending();
  }

  @Override
  public boolean retry(String id) {
    return admin.retry(id);
  }

  /** Counts as {@link dev.smarthost.core.outbox.Outbox#retryAll} does, in fewer calls to Redis. */
  @Override
  public int retryAll() {
    return admin.retryAll();
  }

  @Override
  public int purgeDead() {
    return admin.purgeDead();
  }

  @Override
  public List<OutboxEntry> claimDue(Instant now, int max) {
    try {
      if (intake.ensureGroup()) {
        intake.fetch(now, max);
      }
    } catch (JedisException e) {
      // the outage is logged once; entries already read are still delivered
    }
    return held.claimDue(now, max);
  }

  @Override
  public Optional<Instant> nextDue() {
    return held.nextDue();
  }

  @Override
  public byte[] content(String id) {
    HeldEntries.Held<Stored> h = held.get(id);
    if (h == null) {
      throw new SmarthostOutboxException(
          "outbox " + keys.stream + ": " + id + " is not held here", null);
    }
    byte[] inline = h.location().inlineMessage();
    if (inline != null) {
      return inline;
    }
    byte[] body;
    try {
      body = keys.redis(j -> j.get(keys.bodyKey(id)));
    } catch (JedisException e) {
      throw new SmarthostOutboxException(
          "outbox " + keys.stream + ": cannot read " + id + " (" + e + ")", e);
    }
    if (body == null) {
      throw new SmarthostOutboxException(
          "outbox " + keys.stream + ": the message of " + id + " is gone from Redis", null);
    }
    return body;
  }

  @Override
  public void delivered(String id) {
    HeldEntries.Held<Stored> h = held.remove(id);
    if (h != null) {
      StreamEntryID streamId = h.location().streamId();
      try {
        keys.redis(
            j -> {
              Transaction t = j.multi();
              t.xack(keys.stream, OutboxKeys.GROUP, streamId);
              t.xdel(keys.stream, streamId);
              t.del(keys.bodyKey(id));
              t.zrem(keys.enqueued, id);
              return t.exec();
            });
      } catch (JedisException e) {
        // not acknowledged: delivered once more after claimAfter (at least once), never lost
      }
    }
  }

  @Override
  public void reschedule(String id, List<String> recipients, Instant next, SmtpFailure failure) {
    HeldEntries.Held<Stored> h = held.remove(id);
    if (h == null) {
      return;
    }
    OutboxEntry e = h.entry();
    Stored at = h.location();
    byte[] inline = at.inlineMessage();
    Map<String, String> f = OutboxFields.of(e, e.attempts() + 1, next, recipients, failure);
    try {
      keys.redis(
          j -> {
            Transaction t = j.multi();
            if (inline != null) {
              t.set(keys.bodyKey(id), inline); // an entry of the earlier format
            }
            t.del(keys.delayedKey(id));
            t.hset(keys.delayedKey(id), f);
            t.zadd(keys.delayed, (double) next.toEpochMilli(), id);
            t.zadd(keys.enqueued, (double) e.enqueuedAt().toEpochMilli(), id);
            t.xack(keys.stream, OutboxKeys.GROUP, at.streamId());
            t.xdel(keys.stream, at.streamId());
            return t.exec();
          });
    } catch (JedisException ex) {
      // Redis is away: keep it here and try again when due (the old entry stays pending there)
      held.hold(e.with(e.attempts() + 1, next, recipients, failure), at);
    }
  }

  @Override
  public void bury(String id, List<String> recipients, SmtpFailure reason) {
    HeldEntries.Held<Stored> h = held.get(id);
    if (h == null) {
      return;
    }
    OutboxEntry e = h.entry();
    StreamEntryID streamId = h.location().streamId();
    boolean all = e.coveredBy(recipients);
    String deadId = e.deadId(recipients);
    Map<String, String> f =
        OutboxFields.of(
            deadId, e.enqueuedAt(), e.attempts() + 1, Instant.now(), recipients, e.size(), reason);
    try {
      byte[] body = all && h.location().inlineMessage() == null ? null : content(id);
      keys.redis(
          j -> {
            Transaction t = j.multi();
            if (body != null) {
              t.set(keys.bodyKey(deadId), body);
            }
            t.xadd(keys.deadStream, XAddParams.xAddParams(), f);
            if (all) {
              t.xack(keys.stream, OutboxKeys.GROUP, streamId);
              t.xdel(keys.stream, streamId);
              t.zrem(keys.enqueued, id);
            }
            return t.exec();
          });
    } catch (JedisException | SmarthostOutboxException ex) {
      throw new SmarthostOutboxException(
          "outbox "
              + keys.stream
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
      h.update(e.without(recipients));
    }
    LOG.warn(
        "outbox {}: gave up on {} for {} recipient(s): {}",
        keys.stream,
        id,
        recipients.size(),
        reason);
  }

  @Override
  public void release(String id) {
    held.release(id);
  }

  /**
   * Hands the entries this node read but did not deliver back to the group (marked idle, so that
   * the next node to look takes them over at once), then closes the connections. If Redis is away,
   * they are taken over after {@code claimAfter} as after a crash.
   */
  @Override
  public void close() {
    StreamEntryID[] ids = intake.streamIds();
    if (ids.length > 0) {
      try {
        keys.redis(
            j ->
                j.xclaimJustId(
                    keys.stream,
                    OutboxKeys.GROUP,
                    consumer,
                    0,
                    XClaimParams.xClaimParams().idle(Duration.ofDays(365).toMillis()),
                    ids));
      } catch (JedisException e) {
        // taken over after claimAfter
      }
    }
    held.clear();
    keys.close();
  }

  @Override
  public String toString() {
    return "RedisOutbox{" + keys.stream + ", consumer=" + consumer + "}";
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
