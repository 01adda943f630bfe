/**
 * The durable outbox: the {@link dev.smarthost.core.outbox.Outbox} interface, its journal on disk
 * ({@link dev.smarthost.core.outbox.FileOutbox}, laid out by {@link
 * dev.smarthost.core.outbox.OutboxDirectory}) and the {@link dev.smarthost.core.outbox.OutboxEntry}
 * it hands out. Dispatching is the mailer's job.
 */
@NullMarked
package dev.smarthost.core.outbox;

import org.jspecify.annotations.NullMarked;
