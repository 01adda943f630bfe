/**
 * The cluster's Redis: {@link dev.smarthost.redis.RedisSmarthostResolver} (the settings hash with
 * live change events), {@link dev.smarthost.redis.RedisSmarthostStore} (saving it), {@link
 * dev.smarthost.redis.RedisMailInstanceDirectory} (the Mail instances) and {@link
 * dev.smarthost.redis.RedisOutbox} (a shared outbox on Redis Streams).
 */
@NullMarked
package dev.smarthost.redis;

import org.jspecify.annotations.NullMarked;
