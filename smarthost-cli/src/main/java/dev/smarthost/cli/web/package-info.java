/**
 * The settings page of {@code smarthost serve}: {@code SettingsServer} (its endpoints, the form,
 * versioned saves, the check rate limit) on {@code HttpFront}, a small HTTP/1.1 front that reads
 * each request whole on one selector thread before a worker sees it.
 */
@NullMarked
package dev.smarthost.cli.web;

import org.jspecify.annotations.NullMarked;
