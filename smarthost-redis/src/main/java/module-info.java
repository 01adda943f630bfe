/**
 * The cluster's Redis store: {@link dev.smarthost.redis.RedisSmarthostResolver} (hash {@code
 * cluster/smarthost} and its change events), {@link dev.smarthost.redis.RedisSmarthostStore},
 * {@link dev.smarthost.redis.RedisMailInstanceDirectory} (the Mail instances' submission records)
 * and {@link dev.smarthost.redis.RedisOutbox} (a shared outbox on Redis Streams).
 */
@org.jspecify.annotations.NullMarked
module dev.smarthost.redis {
  requires transitive dev.smarthost.core;
  requires redis.clients.jedis;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.smarthost.redis;
}
