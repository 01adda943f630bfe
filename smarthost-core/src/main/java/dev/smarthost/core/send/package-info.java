/**
 * Sending: {@link dev.smarthost.core.send.SmarthostMailer} (pooled, pipelined, retried, with a
 * deadline per message), its {@link dev.smarthost.core.send.SendResult} and {@link
 * dev.smarthost.core.send.MailerListener}; the mailer also dispatches a durable outbox.
 */
@NullMarked
package dev.smarthost.core.send;

import org.jspecify.annotations.NullMarked;
