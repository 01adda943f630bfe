/**
 * The smarthost settings model, the resolver contract and the failure vocabulary.
 *
 * <p>{@link dev.smarthost.SmarthostSettings} is the immutable value an administrator configures
 * once; a {@link dev.smarthost.SmarthostResolver} reads it from wherever the cluster keeps it, in
 * the formats {@link dev.smarthost.SettingsCodec} reads and writes. {@link
 * dev.smarthost.SmtpFailure} (with its {@link dev.smarthost.FailureKind}) is the one failure value
 * every module reports, and {@link dev.smarthost.SmarthostException} the root of the exceptions.
 */
@NullMarked
package dev.smarthost;

import org.jspecify.annotations.NullMarked;
