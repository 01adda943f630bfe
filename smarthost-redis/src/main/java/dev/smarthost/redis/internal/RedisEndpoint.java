package dev.smarthost.redis.internal;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Where Redis is and how to open a connection with finite timeouts: {@code redis://} in clear text,
 * {@code rediss://} over TLS with the certificate chain and host name verified (against the given
 * trust store, else the JDK's). Any other scheme is refused. {@link #toString()} shows the scheme
 * and address, never the URI's password.
 */
public final class RedisEndpoint {
  private final String scheme;
  private final HostAndPort address;
  private final JedisClientConfig config;
  private final JedisClientConfig subscriberConfig;

  public RedisEndpoint(
      URI uri, Duration timeout, Duration subscriberReadTimeout, @Nullable KeyStore trustStore) {
    String given = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!given.equals("redis") && !given.equals("rediss")) {
      throw new IllegalArgumentException(
          "uri: the scheme must be redis or rediss (TLS), but was '" + given + "'");
    }
    if (!JedisURIHelper.isValid(uri)) {
      throw new IllegalArgumentException(
          "uri: expected " + given + "://[user:password@]host:port[/db]");
    }
    this.scheme = given;
    this.address = new HostAndPort(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 6379);
    boolean tls = given.equals("rediss");
    SSLSocketFactory tlsSockets = tls ? tlsSocketFactory(trustStore) : null;
    SSLParameters tlsParameters = new SSLParameters();
    tlsParameters.setEndpointIdentificationAlgorithm("HTTPS");
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .ssl(tls)
            .sslSocketFactory(tlsSockets)
            .sslParameters(tls ? tlsParameters : null)
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
            .ssl(tls)
            .sslSocketFactory(tlsSockets)
            .sslParameters(tls ? tlsParameters : null)
            .connectionTimeoutMillis(millis(timeout))
            .socketTimeoutMillis(millis(subscriberReadTimeout))
            .database(JedisURIHelper.getDBIndex(uri))
            .user(password != null ? user : null)
            .password(password)
            .clientName("smarthost-subscriber")
            .build();
  }

  private static SSLSocketFactory tlsSocketFactory(@Nullable KeyStore trustStore) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustStore); // null: the JDK's default trust store
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "trustStore: cannot be used for TLS: " + e.getMessage(), e);
    }
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  /** A new connection for a few commands; close it after use. */
  public Jedis connect() {
    return new Jedis(address, config);
  }

  /** A pool of connections for frequent commands (the outbox); close it after use. */
  public redis.clients.jedis.JedisPool pool() {
    return new redis.clients.jedis.JedisPool(address, config);
  }

  /** A new connection for a long-lived subscription (its read timeout covers the ping interval). */
  public Jedis connectSubscriber() {
    return new Jedis(address, subscriberConfig);
  }

  @Override
  public String toString() {
    return scheme + "://" + address;
  }
}
