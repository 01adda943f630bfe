/**
 * Redis-backed smarthost sources: the settings hash with live change events, and the Mail-instance
 * directory.
 */
@NullMarked
package dev.smarthost.redis;

import org.jspecify.annotations.NullMarked;
