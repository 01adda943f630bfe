/**
 * Turning smarthost settings into a working {@code jakarta.mail.Session}: {@link
 * dev.smarthost.core.SmtpProperties} (the one mapping), {@link
 * dev.smarthost.core.SmarthostSessionFactory}, and the resolvers {@link
 * dev.smarthost.core.EnvFileSmarthostResolver} and {@link
 * dev.smarthost.core.EnvironmentSmarthostResolver}.
 */
@NullMarked
package dev.smarthost.core;

import org.jspecify.annotations.NullMarked;
