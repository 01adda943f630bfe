package dev.smarthost.redis;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.Outbox;
import dev.smarthost.core.OutboxEntry;
import dev.smarthost.redis.internal.OutageLog;
import dev.smarthost.redis.internal.RedisEndpoint;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XAutoClaimParams;
import redis.clients.jedis.params.XClaimParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * An {@link Outbox} shared by several nodes on a Redis stream with one consumer group: {@code
 * enqueue} returns once Redis acknowledged the {@code XADD}; each node reads new entries with
 * {@code XREADGROUP}, and entries a dead node left pending longer than {@code claimAfter} are taken
 * over with {@code XAUTOCLAIM}. A retry is a new entry (same id, attempts and message) with a
 * not-before time, which whoever reads it keeps until it is due; give-ups go to the {@code
 * <stream>:dead} stream with their reason.
 *
 * <pre>{@code
 * Outbox outbox = RedisOutbox.builder(URI.create("redis://redis.cluster:6379"))
 *     .stream("smarthost/outbox")
 *     .claimAfter(Duration.ofSeconds(60))
 *     .build();
 * }</pre>
 *
 * <p>How durable an acknowledged {@code XADD} is depends on Redis: with {@code appendonly yes} and
 * {@code appendfsync always} it is on Redis' disk; with {@code everysec} up to a second of entries
 * can be lost if Redis itself crashes; with snapshots only, everything since the last one. Thread-
 * safe.
 */
public final class RedisOutbox implements Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(RedisOutbox.class);
  private static final String GROUP = "smarthost";

  /** Default stream. */
  public static final String DEFAULT_STREAM = "smarthost/outbox";

  /** Default time after which another node takes over a dead node's entries: 60 s. */
  public static final Duration DEFAULT_CLAIM_AFTER = Duration.ofSeconds(60);

  /** Default largest message: 10 MiB (it is kept in the stream entry). */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 10 << 20;

  private final JedisPool pool;
  private final String stream;
  private final String deadStream;
  private final String consumer;
  private final Duration claimAfter;
  private final int maxMessageBytes;
  private final OutageLog outage;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private volatile long lastTouch;
  private volatile long lastAutoclaim;
  private volatile boolean groupReady;

  /** An entry this node has read: waiting until due, or being delivered. */
  private static final class Held {
    final StreamEntryID streamId;
    final OutboxEntry entry;
    final byte[] content;
    volatile boolean claimed;

    Held(StreamEntryID streamId, OutboxEntry entry, byte[] content) {
      this.streamId = streamId;
      this.entry = entry;
      this.content = content;
    }
  }

  private RedisOutbox(Builder b) {
    RedisEndpoint endpoint = new RedisEndpoint(b.uri, b.timeout, b.timeout, b.trustStore);
    this.pool = endpoint.pool();
    this.stream = b.stream;
    this.deadStream = b.stream + ":dead";
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
              + " a stream entry may hold; nothing was kept",
          null);
    }
    Instant now = Instant.now();
    Map<String, String> fields = fields("", now, 0, now, recipients, message, null);
    try {
      ensureGroup();
      return redis(j -> j.xadd(stream, XAddParams.xAddParams(), fields)).toString();
    } catch (JedisException e) {
      throw new SmarthostOutboxException(
          "outbox " + stream + ": Redis did not take the message (" + e + "); nothing was kept", e);
    }
  }

  private static Map<String, String> fields(
      String id,
      Instant enqueued,
      int attempts,
      Instant next,
      List<String> recipients,
      byte[] message,
      @Nullable SmtpFailure failure) {
    Map<String, String> f = new HashMap<>();
    f.put("id", id);
    f.put("enq", Long.toString(enqueued.toEpochMilli()));
    f.put("att", Integer.toString(attempts));
    f.put("next", Long.toString(next.toEpochMilli()));
    f.put("rcpt", String.join("\n", recipients));
    f.put("msg", Base64.getEncoder().encodeToString(message));
    if (failure != null) {
      f.put("fk", failure.kind().name());
      f.put("fc", Integer.toString(failure.replyCode().orElse(0)));
      failure.reply().ifPresent(r -> f.put("fr", r));
      failure.provider().ifPresent(p -> f.put("fp", p));
      f.put("fh", failure.hint());
      f.put("fd", failure.detail());
    }
    return f;
  }

  private static Held parse(StreamEntry e) {
    Map<String, String> f = e.getFields();
    String id = f.getOrDefault("id", "");
    byte[] content = Base64.getDecoder().decode(f.getOrDefault("msg", ""));
    SmtpFailure failure = null;
    if (f.containsKey("fk")) {
      FailureKind kind;
      try {
        kind = FailureKind.valueOf(f.get("fk"));
      } catch (IllegalArgumentException x) {
        kind = FailureKind.PROTOCOL_ERROR;
      }
      int code = Integer.parseInt(f.getOrDefault("fc", "0"));
      failure =
          SmtpFailure.builder(kind)
              .reply(code >= 200 && code <= 599 ? code : 0, f.get("fr"))
              .provider(f.get("fp"))
              .hint(f.getOrDefault("fh", ""))
              .detail(f.getOrDefault("fd", ""))
              .build();
    }
    OutboxEntry entry =
        new OutboxEntry(
            id.isEmpty() ? e.getID().toString() : id,
            Instant.ofEpochMilli(Long.parseLong(f.getOrDefault("enq", "0"))),
            Integer.parseInt(f.getOrDefault("att", "0")),
            Instant.ofEpochMilli(Long.parseLong(f.getOrDefault("next", "0"))),
            List.of(f.getOrDefault("rcpt", "").split("\n")),
            content.length,
            failure);
    return new Held(e.getID(), entry, content);
  }

  @Override
  public List<OutboxEntry> pending() {
    return list(stream);
  }

  @Override
  public List<OutboxEntry> dead() {
    return list(deadStream);
  }

  private List<OutboxEntry> list(String key) {
    List<OutboxEntry> list = new ArrayList<>();
    for (StreamEntry e : redis(j -> j.xrange(key, "-", "+"))) {
      list.add(parse(e).entry);
    }
    list.sort((a, b) -> a.enqueuedAt().compareTo(b.enqueuedAt()));
    return list;
  }

  @Override
  public int pendingCount() {
    try {
      return (int) (long) redis(j -> j.xlen(stream));
    } catch (JedisException e) {
      return (int) held.values().stream().count();
    }
  }

  @Override
  public Optional<Instant> oldestPending() {
    try {
      return pending().stream().map(OutboxEntry::enqueuedAt).min(Instant::compareTo);
    } catch (JedisException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean retry(String id) {
    for (StreamEntry e : redis(j -> j.xrange(deadStream, "-", "+"))) {
      Held h = parse(e);
      if (h.entry.id().equals(id) || e.getID().toString().equals(id)) {
        redis(
            j -> {
              Transaction t = j.multi();
              t.xadd(
                  stream,
                  XAddParams.xAddParams(),
                  fields(
                      h.entry.id(),
                      h.entry.enqueuedAt(),
                      0,
                      Instant.now(),
                      h.entry.recipients(),
                      h.content,
                      null));
              t.xdel(deadStream, e.getID());
              return t.exec();
            });
        return true;
      }
    }
    return false;
  }

  @Override
  public int retryAll() {
    int n = 0;
    for (OutboxEntry e : dead()) {
      n += retry(e.id()) ? 1 : 0;
    }
    return n;
  }

  @Override
  public int purgeDead() {
    return (int)
        (long)
            redis(
                j -> {
                  long n = j.xlen(deadStream);
                  j.del(deadStream);
                  return n;
                });
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
    due.sort((a, b) -> a.enqueuedAt().compareTo(b.enqueuedAt()));
    return due;
  }

  /** Reads new entries, takes over a dead node's, and keeps the ones held here from being taken. */
  private void fetch(Instant now, int max) {
    long nowMs = now.toEpochMilli();
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
    Held h = parse(e);
    held.putIfAbsent(h.entry.id(), h);
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
    return h.content;
  }

  @Override
  public void delivered(String id) {
    Held h = held.remove(id);
    if (h != null) {
      finish(h.streamId);
    }
  }

  /** Acknowledges and deletes an entry. */
  private void finish(StreamEntryID streamId) {
    try {
      redis(
          j -> {
            Transaction t = j.multi();
            t.xack(stream, GROUP, streamId);
            t.xdel(stream, streamId);
            return t.exec();
          });
    } catch (JedisException e) {
      // not acknowledged: delivered once more after claimAfter (at least once), never lost
    }
  }

  @Override
  public void reschedule(String id, List<String> recipients, Instant next, SmtpFailure failure) {
    Held h = held.remove(id);
    if (h == null) {
      return;
    }
    OutboxEntry e = h.entry;
    Map<String, String> f =
        fields(e.id(), e.enqueuedAt(), e.attempts() + 1, next, recipients, h.content, failure);
    try {
      redis(
          j -> {
            Transaction t = j.multi();
            t.xadd(stream, XAddParams.xAddParams(), f);
            t.xack(stream, GROUP, h.streamId);
            t.xdel(stream, h.streamId);
            return t.exec();
          });
    } catch (JedisException ex) {
      // Redis is away: keep it here and try again when due (the old entry stays pending there)
      held.put(
          id, new Held(h.streamId, e.with(e.attempts() + 1, next, recipients, failure), h.content));
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
    Map<String, String> f =
        fields(
            e.id(), e.enqueuedAt(), e.attempts() + 1, Instant.now(), recipients, h.content, reason);
    try {
      redis(
          j -> {
            Transaction t = j.multi();
            t.xadd(deadStream, XAddParams.xAddParams(), f);
            if (all) {
              t.xack(stream, GROUP, h.streamId);
              t.xdel(stream, h.streamId);
            }
            return t.exec();
          });
    } catch (JedisException ex) {
      return; // stays pending: tried again, never lost
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
              h.content);
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
     * Sets the largest message {@code enqueue} accepts.
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
