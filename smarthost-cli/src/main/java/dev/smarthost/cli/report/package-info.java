/**
 * How results read, for people and as JSON, in the commands and on the settings page alike: a check
 * ({@code Report}), a discovery ({@code DiscoveryReport}) and the hint for a failure ({@code
 * CliHints}). The failure's fields come from the one codec, {@code SmtpFailureCodec.REPORT}.
 */
@NullMarked
package dev.smarthost.cli.report;

import org.jspecify.annotations.NullMarked;
