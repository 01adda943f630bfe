/**
 * From settings to a {@code jakarta.mail.Session}: {@link dev.smarthost.core.session.SmtpOptions}
 * (timeouts, trust, OAuth 2.0), {@link dev.smarthost.core.session.SmtpProperties} (the one mapping
 * to {@code mail.smtp.*}) and {@link dev.smarthost.core.session.SmarthostSessionFactory}; the steps
 * of an SMTP conversation ({@link dev.smarthost.core.session.ValidationPhase}) and their timings.
 */
@NullMarked
package dev.smarthost.core.session;

import org.jspecify.annotations.NullMarked;
