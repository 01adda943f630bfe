package dev.smarthost.redis;

import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.core.settings.MailInstance;
import dev.smarthost.core.settings.MailInstanceDirectory;
import dev.smarthost.redis.internal.DurationChecks;
import dev.smarthost.redis.internal.OutageLog;
import dev.smarthost.redis.internal.RedisEndpoint;
import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * The Mail instances the cluster registers in Redis as hashes {@code
 * module/<id>/srv/tcp/submission} (fields {@code host}, {@code port}, {@code node}, {@code
 * mail_hostname}, {@code user_domain}), found with {@code SCAN} (never {@code KEYS}).
 *
 * <p>The list is cached for the refresh interval (default 5 s); while anyone is subscribed a daemon
 * thread re-scans at that interval and reports changes, such as an instance that moved to another
 * node. When Redis is unreachable the last good list stays in force (logged once per outage).
 */
public final class RedisMailInstanceDirectory implements MailInstanceDirectory, AutoCloseable {
  /** The pattern of the Mail instances' submission records. */
  public static final String DEFAULT_PATTERN = "module/*/srv/tcp/submission";

  private static final Logger LOG = LoggerFactory.getLogger(RedisMailInstanceDirectory.class);

  private final RedisEndpoint endpoint;
  private final Map<String, String> malformed = new java.util.concurrent.ConcurrentHashMap<>();
  private final String pattern;
  private final Duration refreshInterval;
  private final OutageLog outage;
  private final List<Consumer<List<MailInstance>>> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller;
  private @Nullable ScheduledFuture<?> polling;
  private @Nullable List<MailInstance> cached;
  private long cachedAtNanos;

  private RedisMailInstanceDirectory(Builder b) {
    this.endpoint = new RedisEndpoint(b.uri, b.timeout, b.timeout, b.trustStore);
    this.pattern = b.pattern;
    this.refreshInterval = b.refreshInterval;
    this.outage = new OutageLog(LOG, endpoint.toString());
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "smarthost-redis-instances");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Creates a directory with the cluster's key pattern.
   *
   * @param uri {@code redis://[user:password@]host:port[/db]}
   * @return the directory; close it when done
   */
  public static RedisMailInstanceDirectory create(URI uri) {
    return builder(uri).build();
  }

  /**
   * Starts configuring a directory.
   *
   * @param uri {@code redis://[user:password@]host:port[/db]}
   * @return a new builder
   */
  public static Builder builder(URI uri) {
    return new Builder(uri);
  }

  @Override
  public synchronized List<MailInstance> instances() {
    if (cached != null && System.nanoTime() - cachedAtNanos < refreshInterval.toNanos()) {
      return cached;
    }
    List<MailInstance> read = scanOrKeep();
    return read;
  }

  @Override
  public AutoCloseable subscribe(Consumer<List<MailInstance>> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    synchronized (this) {
      if (polling == null) {
        try {
          instances();
        } catch (SmarthostConfigurationException e) {
          // reported by the first successful scan
        }
        long millis = refreshInterval.toMillis();
        polling = poller.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
      }
    }
    return () -> {
      listeners.remove(listener);
      synchronized (this) {
        if (listeners.isEmpty() && polling != null) {
          polling.cancel(false);
          polling = null;
        }
      }
    };
  }

  /** Stops the polling thread. */
  @Override
  public void close() {
    poller.shutdownNow();
  }

  @Override
  public String toString() {
    return "RedisMailInstanceDirectory{" + endpoint + ", " + pattern + "}";
  }

  private void poll() {
    List<MailInstance> before;
    List<MailInstance> after;
    synchronized (this) {
      before = cached;
      try {
        after = scanOrKeep();
      } catch (SmarthostConfigurationException e) {
        return;
      }
    }
    if (!after.equals(before)) {
      for (Consumer<List<MailInstance>> listener : listeners) {
        try {
          listener.accept(after);
        } catch (RuntimeException e) {
          LOG.warn("Mail instance listener {} failed", listener, e);
        }
      }
    }
  }

  /** Scans; on failure keeps the cached list if there is one. Caller holds the lock. */
  private List<MailInstance> scanOrKeep() {
    try {
      List<MailInstance> read = scan();
      outage.recovered();
      cached = read;
      cachedAtNanos = System.nanoTime();
      return read;
    } catch (JedisException e) {
      outage.failed(e);
      if (cached != null) {
        return cached;
      }
      throw SmarthostConfigurationException.forSource(
          endpoint + " " + pattern, "Redis is unreachable: " + e.getMessage(), e);
    }
  }

  private List<MailInstance> scan() {
    List<MailInstance> result = new ArrayList<>();
    try (Jedis jedis = endpoint.connect()) {
      ScanParams params = new ScanParams().match(pattern).count(100);
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, params);
        for (String key : page.getResult()) {
          Map<String, String> fields = jedis.hgetAll(key);
          if (!fields.isEmpty()) {
            MailInstance instance = parseOrKeep(key, fields);
            if (instance != null) {
              result.add(instance);
            }
          }
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
    result.sort(Comparator.comparing(MailInstance::id));
    return List.copyOf(result);
  }

  /**
   * One record; a malformed one never hides the others: its last good version is kept (or it is
   * left out if it never was good), and the problem is logged once per key and problem.
   */
  private @Nullable MailInstance parseOrKeep(String key, Map<String, String> fields) {
    try {
      MailInstance instance =
          MailInstance.fromRecord(
              id(key),
              fields,
              (field, problem) ->
                  SmarthostConfigurationException.forKey("redis " + key, field, problem));
      malformed.remove(key);
      return instance;
    } catch (SmarthostConfigurationException | IllegalArgumentException | IllegalStateException e) {
      if (!String.valueOf(e.getMessage())
          .equals(malformed.put(key, String.valueOf(e.getMessage())))) {
        LOG.warn("ignoring a malformed Mail instance record: {}", e.getMessage());
      }
      List<MailInstance> previous = cached;
      if (previous != null) {
        for (MailInstance m : previous) {
          if (m.id().equals(id(key))) {
            return m;
          }
        }
      }
      return null;
    }
  }

  /** {@code module/mail1/srv/tcp/submission} → {@code mail1}. */
  private static String id(String key) {
    String[] parts = key.split("/");
    return parts.length > 1 ? parts[1] : key;
  }

  /** Configures a {@link RedisMailInstanceDirectory}. */
  public static final class Builder {
    private final URI uri;
    private String pattern = DEFAULT_PATTERN;
    private Duration refreshInterval = Duration.ofSeconds(5);
    private Duration timeout = Duration.ofSeconds(2);
    private @Nullable KeyStore trustStore;

    private Builder(URI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /**
     * Sets the key pattern to scan (default {@code module/*}{@code /srv/tcp/submission}); the id is
     * the second path segment.
     *
     * @param pattern a SCAN MATCH pattern
     * @return this builder (for chaining)
     */
    public Builder pattern(String pattern) {
      this.pattern = Objects.requireNonNull(pattern, "pattern");
      return this;
    }

    /**
     * Sets how long a scan is reused and how often subscribers' polling re-scans (default 5 s).
     *
     * @param interval at least 10 ms
     * @return this builder (for chaining)
     */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval =
          DurationChecks.atLeast("refreshInterval", interval, Duration.ofMillis(10));
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
     * Builds the directory.
     *
     * @return the directory; close it when done
     */
    public RedisMailInstanceDirectory build() {
      return new RedisMailInstanceDirectory(this);
    }
  }
}
