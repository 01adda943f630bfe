/**
 * The {@code smarthost} command line — {@code check}, {@code discover}, {@code send-test}, {@code
 * demo}, {@code outbox} and {@code serve} — and the settings page {@code serve} runs on its own
 * HTTP/1.1 front ({@code HttpFront}).
 */
@NullMarked
package dev.smarthost.cli;

import org.jspecify.annotations.NullMarked;
