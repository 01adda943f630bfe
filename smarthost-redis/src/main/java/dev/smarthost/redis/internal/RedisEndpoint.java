package dev.smarthost.redis.internal;

import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where Redis is and how to open a connection with finite timeouts. {@link #toString()} never shows
 * the URI's password.
 */
public final class RedisEndpoint {
  private final HostAndPort address;
  private final JedisClientConfig config;
  private final JedisClientConfig subscriberConfig;

  public RedisEndpoint(URI uri, Duration timeout, Duration subscriberReadTimeout) {
    if (!JedisURIHelper.isValid(uri)) {
      throw new IllegalArgumentException("uri: expected redis://[user:password@]host:port[/db]");
    }
    this.address = new HostAndPort(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379);
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis(timeout))
            .socketTimeoutMillis(millis(timeout))
            .database(JedisURIHelper.getDBIndex(uri))
            .clientName("smarthost");
    String user = JedisURIHelper.getUser(uri);
    String password = JedisURIHelper.getPassword(uri);
    if (password != null) {
      b.user(user).password(password);
    }
    this.config = b.build();
    this.subscriberConfig =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(millis(timeout))
            .socketTimeoutMillis(millis(subscriberReadTimeout))
            .database(JedisURIHelper.getDBIndex(uri))
            .user(password != null ? user : null)
            .password(password)
            .clientName("smarthost-subscriber")
            .build();
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  /** A new connection for a few commands; close it after use. */
  public Jedis connect() {
    return new Jedis(address, config);
  }

  /** A new connection for a long-lived subscription (its read timeout covers the ping interval). */
  public Jedis connectSubscriber() {
    return new Jedis(address, subscriberConfig);
  }

  @Override
  public String toString() {
    return "redis://" + address;
  }
}
