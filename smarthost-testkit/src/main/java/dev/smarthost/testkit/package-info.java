/**
 * {@link dev.smarthost.testkit.SmarthostServer}: a real SMTP smarthost on loopback for tests, in
 * plain, STARTTLS and implicit TLS mode, with an optional required AUTH (password or OAuth 2.0), a
 * certificate generated per server, and {@link dev.smarthost.testkit.Fault faults}; what it
 * received as {@link dev.smarthost.testkit.ReceivedMessage}s; small test messages from {@link
 * dev.smarthost.testkit.Messages}. Needs no JUnit: {@code .junit5} adds {@code @SmarthostTest},
 * {@code .assertj} the assertions.
 */
@NullMarked
package dev.smarthost.testkit;

import org.jspecify.annotations.NullMarked;
