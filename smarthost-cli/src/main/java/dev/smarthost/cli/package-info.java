/**
 * The {@code smarthost} command line: {@code check}, {@code discover}, {@code send-test}, {@code
 * demo}, {@code outbox} and {@code serve}, their options, usage errors ({@code UsageException}) and
 * exit codes ({@code ExitCodes}). What a result looks like lives in {@code report}; the settings
 * page that {@code serve} runs lives in {@code web}.
 */
@NullMarked
package dev.smarthost.cli;

import org.jspecify.annotations.NullMarked;
