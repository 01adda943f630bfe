/**
 * The cluster's Redis store as smarthost sources: {@link
 * dev.smarthost.redis.RedisSmarthostResolver} (hash {@code cluster/smarthost} and its change
 * events) and {@link dev.smarthost.redis.RedisMailInstanceDirectory} (the Mail instances'
 * submission records).
 */
@org.jspecify.annotations.NullMarked
module dev.smarthost.redis {
  requires transitive dev.smarthost.core;
  requires redis.clients.jedis;
  requires org.slf4j;
  requires static transitive org.jspecify;

  exports dev.smarthost.redis;
}
