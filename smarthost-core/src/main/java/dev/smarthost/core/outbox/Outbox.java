package dev.smarthost.core.outbox;

import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.send.SmarthostMailer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable storage for messages a {@link SmarthostMailer} has accepted with {@code enqueue} and not
 * yet delivered: a notification accepted is a notification delivered, across outages, crashes and
 * restarts (at least once; a crash between the server's reply and the bookkeeping may repeat a
 * message, with the same {@code Message-ID}). {@link FileOutbox} keeps it in a directory of one
 * node; {@code RedisOutbox} (smarthost-redis) in a Redis stream shared by several.
 *
 * <p>Applications call {@link #add} only through {@link SmarthostMailer#enqueue} and use the views
 * ({@link #pending()}, {@link #dead()}) and the administration ({@link #retry}, {@link #retryAll},
 * {@link #purgeDead}); the delivery methods below them are what the mailer calls. Implementations
 * are thread-safe.
 */
public interface Outbox extends AutoCloseable {
  /**
   * Stores a message; returns once it is durable.
   *
   * @param message the message as it goes on the wire (RFC 5322, without {@code Bcc})
   * @param recipients the envelope recipients
   * @return the entry's id
   * @throws SmarthostBusyException if the outbox is full (count or bytes)
   * @throws SmarthostOutboxException if the message could not be stored; nothing was kept
   */
  String add(byte[] message, List<String> recipients);

  /**
   * Returns the entries still to be delivered, oldest first.
   *
   * @return a snapshot
   */
  List<OutboxEntry> pending();

  /**
   * Returns the entries given up on: permanent failures and entries past their maximum age, each
   * with its reason.
   *
   * @return a snapshot, oldest first
   */
  List<OutboxEntry> dead();

  /**
   * Returns how many entries are dead, without reading them (for health probes and metrics).
   *
   * @return the count
   */
  default int deadCount() {
    return dead().size();
  }

  /**
   * Returns how many entries are pending.
   *
   * @return the count
   */
  int pendingCount();

  /**
   * Returns when the oldest pending entry was enqueued.
   *
   * @return the time, or empty if nothing is pending
   */
  Optional<Instant> oldestPending();

  /**
   * Makes an entry due now, for an administrator who just fixed the settings: a dead entry goes
   * back to pending, a pending one waiting for its retry is tried at once; either way with its
   * attempts and backoff reset.
   *
   * @param id the entry
   * @return false if there is no dead or pending entry with that id
   */
  boolean retry(String id);

  /**
   * Makes every entry due now, like {@link #retry}: the dead back to pending, the pending at once.
   *
   * @return how many
   */
  int retryAll();

  /**
   * Deletes every dead entry.
   *
   * @return how many
   */
  int purgeDead();

  /**
   * Delivery: takes up to {@code max} pending entries that are due, oldest first, and marks them as
   * being delivered by this process until {@link #delivered}, {@link #reschedule}, {@link #bury} or
   * {@link #release}.
   *
   * @param now the current time
   * @param max at most this many
   * @return the entries
   */
  List<OutboxEntry> claimDue(Instant now, int max);

  /**
   * Delivery: returns when the next pending entry that is not being delivered falls due.
   *
   * @return the time, or empty if there is none
   */
  Optional<Instant> nextDue();

  /**
   * Delivery: returns a claimed entry's message.
   *
   * @param id the entry
   * @return the bytes given to {@link #add}
   * @throws SmarthostOutboxException if they cannot be read
   */
  byte[] content(String id);

  /**
   * Delivery: the server accepted the message for all remaining recipients; forget it.
   *
   * @param id the entry
   */
  void delivered(String id);

  /**
   * Delivery: a temporary failure; try these recipients again at {@code next}.
   *
   * @param id the entry
   * @param recipients the recipients still to deliver to
   * @param next when to try again
   * @param failure what went wrong
   */
  void reschedule(String id, List<String> recipients, Instant next, SmtpFailure failure);

  /**
   * Delivery: give up on these recipients (all, or the permanently refused part of a partial
   * delivery); they become a dead entry with the reason. The rest of the entry, if any, stays
   * claimed for {@link #delivered} or {@link #reschedule}.
   *
   * @param id the entry
   * @param recipients the recipients given up on
   * @param reason why
   * @throws SmarthostOutboxException if the dead entry could not be written; the entry is then
   *     unchanged (pending and claimed), for the caller to {@link #reschedule}
   */
  void bury(String id, List<String> recipients, SmtpFailure reason);

  /**
   * Delivery: the entry was claimed but not tried (the mailer is closing); leave it pending.
   *
   * @param id the entry
   */
  void release(String id);

  /** Releases the outbox (its lock); entries stay stored. */
  @Override
  void close();
}
