/**
 * Checking settings before they are saved: {@link dev.smarthost.core.check.SmtpConnectionValidator}
 * and its {@link dev.smarthost.core.check.ValidationResult}, and {@link
 * dev.smarthost.core.check.Discovery} of the ports and encryption a host offers.
 */
@NullMarked
package dev.smarthost.core.check;

import org.jspecify.annotations.NullMarked;
