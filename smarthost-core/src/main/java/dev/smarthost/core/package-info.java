/**
 * Everything an application needs to send through the cluster's smarthost:
 *
 * <ul>
 *   <li>settings sources: {@link dev.smarthost.core.EnvFileSmarthostResolver} (live reload), {@link
 *       dev.smarthost.core.EnvironmentSmarthostResolver}, {@link
 *       dev.smarthost.core.MailInstanceSmarthostResolver}; saving: {@link
 *       dev.smarthost.core.SmarthostStore}, {@link dev.smarthost.core.SmarthostSettingsService};
 *   <li>the session: {@link dev.smarthost.core.SmtpOptions}, {@link
 *       dev.smarthost.core.SmtpProperties} (the one mapping), {@link
 *       dev.smarthost.core.SmarthostSessionFactory};
 *   <li>sending: {@link dev.smarthost.core.SmarthostMailer} (pooled, pipelined, retried) with
 *       {@link dev.smarthost.core.MailerListener};
 *   <li>the durable outbox: {@link dev.smarthost.core.Outbox}, {@link
 *       dev.smarthost.core.FileOutbox};
 *   <li>checking settings: {@link dev.smarthost.core.SmtpConnectionValidator} and its {@link
 *       dev.smarthost.core.ValidationResult};
 *   <li>OAuth 2.0: {@link dev.smarthost.core.TokenSource}, {@link
 *       dev.smarthost.core.OAuth2Clients}.
 * </ul>
 */
@NullMarked
package dev.smarthost.core;

import org.jspecify.annotations.NullMarked;
