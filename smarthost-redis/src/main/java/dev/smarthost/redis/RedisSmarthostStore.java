package dev.smarthost.redis;

import dev.smarthost.SettingsCodec;
import dev.smarthost.SettingsField;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.settings.SmarthostStore;
import dev.smarthost.redis.internal.RedisEndpoint;
import java.net.URI;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Writes the cluster's hash {@code cluster/smarthost} in one {@code MULTI}/{@code EXEC}
 * transaction, so that readers see the old fields or the new ones, then publishes {@code
 * {"key":"cluster/smarthost"}} on {@code cluster/event/smarthost-changed}.
 */
public final class RedisSmarthostStore implements SmarthostStore {
  private final RedisEndpoint endpoint;
  private final String key;
  private final String channel;

  private RedisSmarthostStore(
      URI uri, String key, String channel, Duration timeout, @Nullable KeyStore trustStore) {
    this.endpoint = new RedisEndpoint(uri, timeout, timeout, trustStore);
    this.key = key;
    this.channel = channel;
  }

  /**
   * Creates a store with the cluster's key and channel.
   *
   * @param uri {@code redis://[user:password@]host:port[/db]}, or {@code rediss://…} for TLS
   *     (verified against the JDK's trust store)
   * @return the store
   */
  public static RedisSmarthostStore create(URI uri) {
    return new RedisSmarthostStore(
        Objects.requireNonNull(uri, "uri"),
        RedisSmarthostResolver.DEFAULT_KEY,
        RedisSmarthostResolver.DEFAULT_CHANNEL,
        Duration.ofSeconds(2),
        null);
  }

  /**
   * Creates a store with the cluster's key and channel that trusts these certificates for a {@code
   * rediss://} URI.
   *
   * @param uri {@code rediss://[user:password@]host:port[/db]} (or {@code redis://})
   * @param trustStore the certificates trusted for TLS
   * @return the store
   */
  public static RedisSmarthostStore create(URI uri, KeyStore trustStore) {
    return new RedisSmarthostStore(
        Objects.requireNonNull(uri, "uri"),
        RedisSmarthostResolver.DEFAULT_KEY,
        RedisSmarthostResolver.DEFAULT_CHANNEL,
        Duration.ofSeconds(2),
        Objects.requireNonNull(trustStore, "trustStore"));
  }

  @Override
  public void save(SmarthostSettings settings) {
    write(SettingsCodec.REDIS.encode(settings), true);
  }

  /** Sets {@code enabled} to {@code 0} and removes the password and the OAuth 2.0 secret. */
  @Override
  public void disable() {
    write(SettingsCodec.REDIS.encodeDisabled(), false);
  }

  private void write(Map<String, String> fields, boolean replace) {
    try (Jedis jedis = endpoint.connect()) {
      Transaction tx = jedis.multi();
      if (replace) {
        tx.del(key);
      } else {
        tx.hdel(
            key,
            SettingsCodec.REDIS.key(SettingsField.PASSWORD),
            SettingsCodec.REDIS.key(SettingsField.OAUTH2_CLIENT_SECRET));
      }
      tx.hset(key, fields);
      tx.exec();
      jedis.publish(channel, "{\"key\":\"" + key + "\"}");
    } catch (JedisException e) {
      throw SmarthostConfigurationException.forSource(
          endpoint + " " + key, "cannot write: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "RedisSmarthostStore{" + endpoint + ", " + key + "}";
  }
}
