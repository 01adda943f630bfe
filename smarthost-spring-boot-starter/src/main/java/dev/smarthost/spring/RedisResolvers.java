package dev.smarthost.spring;

import dev.smarthost.SmarthostResolver;
import dev.smarthost.redis.RedisSmarthostResolver;
import java.net.URI;

/** Touches smarthost-redis only when {@code smarthost.redis.uri} is set (the jar is optional). */
final class RedisResolvers {
  private RedisResolvers() {}

  static SmarthostResolver create(String uri) {
    return RedisSmarthostResolver.create(URI.create(uri));
  }
}
