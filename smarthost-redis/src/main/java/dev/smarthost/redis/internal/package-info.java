/** Implementation of smarthost-redis; not exported. */
@NullMarked
package dev.smarthost.redis.internal;

import org.jspecify.annotations.NullMarked;
