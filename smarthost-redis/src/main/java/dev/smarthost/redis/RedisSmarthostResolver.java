package dev.smarthost.redis;

import dev.smarthost.SettingsCodec;
import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.settings.SettingsPublisher;
import dev.smarthost.redis.internal.DurationChecks;
import dev.smarthost.redis.internal.OutageLog;
import dev.smarthost.redis.internal.RedisEndpoint;
import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The cluster's settings from Redis: hash {@code cluster/smarthost} (fields {@code host}, {@code
 * port}, {@code username}, {@code password}, {@code enabled}, {@code encrypt_smtp}, {@code
 * tls_verify}; absent: port 587, starttls, verify on, disabled), re-read whenever the cluster
 * publishes on {@code cluster/event/smarthost-changed}.
 *
 * <pre>{@code
 * try (RedisSmarthostResolver redis = RedisSmarthostResolver.create(URI.create("redis://127.0.0.1:6379"))) {
 *   Session session = new SmarthostSessionFactory(SmtpOptions.defaults())
 *       .session(redis.resolve().orElseThrow());
 * }
 * }</pre>
 *
 * <p>A background thread keeps the subscription: when Redis goes away it reconnects (backing off up
 * to the reconnect delay), keeps answering with the last good settings meanwhile, logs the outage
 * once, and re-reads the hash after reconnecting, so a change made during the outage is not missed.
 * {@link #resolve()} answers from memory. Close the resolver to stop the thread.
 */
public final class RedisSmarthostResolver implements SmarthostResolver, AutoCloseable {
  /** The hash the cluster keeps its settings in. */
  public static final String DEFAULT_KEY = "cluster/smarthost";

  /** The channel the cluster announces changes on. */
  public static final String DEFAULT_CHANNEL = "cluster/event/smarthost-changed";

  private static final Logger LOG = LoggerFactory.getLogger(RedisSmarthostResolver.class);
  private static final Duration FIRST_RETRY = Duration.ofMillis(50);

  private final RedisEndpoint endpoint;
  private final String key;
  private final String channel;
  private final Duration reconnectDelay;
  private final Duration pingInterval;
  private final OutageLog outage;
  private final Thread subscriber;
  private final ScheduledExecutorService pinger;
  private final JedisPubSub pubSub = new Events();
  private volatile @Nullable Jedis subscriberConnection;
  private volatile boolean closed;

  private final SettingsPublisher settings = new SettingsPublisher(RedisSmarthostResolver.class);

  private RedisSmarthostResolver(Builder b) {
    this.endpoint =
        new RedisEndpoint(b.uri, b.timeout, b.pingInterval.multipliedBy(3), b.trustStore);
    this.key = b.key;
    this.channel = b.channel;
    this.reconnectDelay = b.reconnectDelay;
    this.pingInterval = b.pingInterval;
    this.outage = new OutageLog(LOG, endpoint.toString());
    this.pinger =
        Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "smarthost-redis-ping"));
    this.subscriber = daemon(this::subscribeLoop, "smarthost-redis-subscriber");
    subscriber.start();
    // runs until close() shuts the pinger down; nothing waits for it
    Future<?> unused =
        pinger.scheduleWithFixedDelay(
            this::ping, pingInterval.toMillis(), pingInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Creates a resolver with the cluster's key and channel and starts following changes.
   *
   * @param uri {@code redis://[user:password@]host:port[/db]}, or {@code rediss://…} for TLS
   * @return the resolver; close it when done
   */
  public static RedisSmarthostResolver create(URI uri) {
    return builder(uri).build();
  }

  /**
   * Starts configuring a resolver.
   *
   * @param uri {@code redis://[user:password@]host:port[/db]}, or {@code rediss://…} for TLS
   * @return a new builder
   */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /**
   * Returns the settings in Redis, from memory once they have been read.
   *
   * @return the settings, or empty if {@code enabled} is not {@code 1}
   * @throws SmarthostConfigurationException naming key and field if the hash has never been valid,
   *     or naming the server if it has never been reachable
   */
  @Override
  public Optional<SmarthostSettings> resolve() {
    if (settings.hasSettings()) {
      return settings.current();
    }
    refresh();
    return settings.current();
  }

  @Override
  public AutoCloseable subscribe(Consumer<SmarthostChange> listener) {
    return settings.subscribe(listener);
  }

  /**
   * Returns whether the last attempt to reach Redis failed.
   *
   * @return true during an outage
   */
  public boolean redisDown() {
    return outage.isDown();
  }

  /** Stops following changes and closes the connections. */
  @Override
  public void close() {
    closed = true;
    pinger.shutdownNow();
    try {
      if (pubSub.isSubscribed()) {
        pubSub.unsubscribe();
      }
    } catch (JedisException ignored) {
      // the connection is going away anyway
    }
    Jedis connection = subscriberConnection;
    if (connection != null) {
      connection.close();
    }
    subscriber.interrupt();
    try {
      subscriber.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "RedisSmarthostResolver{" + endpoint + ", " + key + "}";
  }

  /** Reads the hash and publishes a change, or a failure, to subscribers. */
  private void refresh() {
    Map<String, String> fields;
    try (Jedis jedis = endpoint.connect()) {
      fields = jedis.hgetAll(key);
      outage.recovered();
    } catch (JedisException e) {
      outage.failed(e);
      settings.unreachable(
          SmarthostConfigurationException.forSource(
              endpoint + " " + key, "Redis is unreachable: " + e.getMessage(), e));
      return;
    }
    Optional<SmarthostChange> change;
    try {
      change = settings.accept(SettingsCodec.REDIS.decode("redis " + key, fields));
    } catch (SmarthostConfigurationException e) {
      change = settings.reject(e);
    }
    change.ifPresent(settings::publish);
  }

  private void subscribeLoop() {
    Duration delay = FIRST_RETRY;
    while (!closed) {
      try (Jedis jedis = endpoint.connectSubscriber()) {
        subscriberConnection = jedis;
        if (closed) {
          return;
        }
        jedis.subscribe(pubSub, channel); // blocks until unsubscribed or the connection breaks
        delay = FIRST_RETRY;
      } catch (JedisException e) {
        if (closed) {
          return;
        }
        outage.failed(e);
      } finally {
        subscriberConnection = null;
      }
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      delay =
          delay.multipliedBy(2).compareTo(reconnectDelay) > 0
              ? reconnectDelay
              : delay.multipliedBy(2);
    }
  }

  private void ping() {
    try {
      if (pubSub.isSubscribed()) {
        pubSub.ping();
      }
    } catch (JedisException | IllegalStateException e) {
      // the subscriber thread notices the broken connection and reconnects
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Subscription callbacks, on the subscriber thread. */
  private final class Events extends JedisPubSub {
    @Override
    public void onSubscribe(String subscribed, int count) {
      refresh(); // after (re)connecting: a change made while we were away is picked up here
    }

    @Override
    public void onMessage(String from, String message) {
      refresh();
    }
  }

  /** Configures a {@link RedisSmarthostResolver}. */
  public static final class Builder {
    private final URI uri;
    private String key = DEFAULT_KEY;
    private String channel = DEFAULT_CHANNEL;
    private Duration timeout = Duration.ofSeconds(2);
    private Duration reconnectDelay = Duration.ofSeconds(1);
    private Duration pingInterval = Duration.ofSeconds(10);
    private @Nullable KeyStore trustStore;

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /**
     * Sets the hash to read (default {@code cluster/smarthost}).
     *
     * @param key the Redis key
     * @return this builder (for chaining)
     */
    public Builder key(String key) {
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Sets the channel to listen on (default {@code cluster/event/smarthost-changed}).
     *
     * @param channel the channel
     * @return this builder (for chaining)
     */
    public Builder channel(String channel) {
      this.channel = Objects.requireNonNull(channel, "channel");
      return this;
    }

    /**
     * Sets the connect and read timeout of each Redis command (default 2 s).
     *
     * @param timeout at least 1 ms
     * @return this builder (for chaining)
     */
    public Builder timeout(Duration timeout) {
      this.timeout = DurationChecks.positive("timeout", timeout);
      return this;
    }

    /**
     * Sets the longest wait between reconnection attempts (default 1 s).
     *
     * @param delay at least 1 ms
     * @return this builder (for chaining)
     */
    public Builder reconnectDelay(Duration delay) {
      this.reconnectDelay = DurationChecks.positive("reconnectDelay", delay);
      return this;
    }

    /**
     * Sets how often the idle subscription is pinged to detect a silent connection (default 10 s;
     * the subscription gives up after three missed intervals).
     *
     * @param interval at least 1 ms
     * @return this builder (for chaining)
     */
    public Builder pingInterval(Duration interval) {
      this.pingInterval = DurationChecks.positive("pingInterval", interval);
      return this;
    }

    /**
     * Sets the certificates trusted for a {@code rediss://} URI (default: the JDK's trust store).
     * The server's certificate chain and host name are always verified.
     *
     * @param trustStore the trusted certificates
     * @return this builder (for chaining)
     */
    public Builder trustStore(KeyStore trustStore) {
      this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
      return this;
    }

    /**
     * Builds the resolver and starts following changes.
     *
     * @return the resolver; close it when done
     * @throws IllegalArgumentException if the URI is not a {@code redis://} or {@code rediss://}
     *     URI
     */
    public RedisSmarthostResolver build() {
      return new RedisSmarthostResolver(this);
    }
  }
}
