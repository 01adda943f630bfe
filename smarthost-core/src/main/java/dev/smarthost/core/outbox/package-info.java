/**
 * The durable outbox: {@link dev.smarthost.core.outbox.Outbox} (what an application and its
 * administrator see), {@link dev.smarthost.core.outbox.OutboxStore} (what the mailer delivers
 * through), the journal on disk {@link dev.smarthost.core.outbox.FileOutbox}, the {@link
 * dev.smarthost.core.outbox.OutboxEntry} it hands out and {@link
 * dev.smarthost.core.outbox.OutboxFailures}. Dispatching is the mailer's job.
 */
@NullMarked
package dev.smarthost.core.outbox;

import org.jspecify.annotations.NullMarked;
