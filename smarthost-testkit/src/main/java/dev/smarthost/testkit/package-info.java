/**
 * {@link dev.smarthost.testkit.SmarthostServer}: a real SMTP smarthost on loopback for tests, in
 * plain, STARTTLS and implicit TLS mode, with an optional required AUTH, a certificate generated
 * per server, and {@link dev.smarthost.testkit.Fault faults}. Needs no JUnit.
 */
@NullMarked
package dev.smarthost.testkit;

import org.jspecify.annotations.NullMarked;
