/**
 * The smarthost settings model and the resolver contract.
 *
 * <p>{@link dev.smarthost.SmarthostSettings} is the immutable value an administrator configures
 * once; a {@link dev.smarthost.SmarthostResolver} reads it from wherever the cluster keeps it.
 */
@NullMarked
package dev.smarthost;

import org.jspecify.annotations.NullMarked;
