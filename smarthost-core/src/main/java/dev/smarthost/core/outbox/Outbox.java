package dev.smarthost.core.outbox;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an application and its administrator see of an outbox: the messages a {@link
 * dev.smarthost.core.send.SmarthostMailer} accepted with {@code enqueue} and has not delivered yet
 * ({@link #pending()}), those it gave up on ({@link #dead()}), and the administration ({@link
 * #retry}, {@link #retryAll}, {@link #purgeDead}). A notification accepted is a notification
 * delivered, across outages, crashes and restarts (at least once; a crash between the server's
 * reply and the bookkeeping may repeat a message, with the same {@code Message-ID}).
 *
 * <p>{@link FileOutbox} keeps the messages in a directory of one node; {@code RedisOutbox}
 * (smarthost-redis) in a Redis stream shared by several. Both are an {@link OutboxStore}, the
 * interface the mailer delivers through. Implementations are thread-safe.
 */
public interface Outbox extends AutoCloseable {
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
   * Every outbox counts the same way: each pending entry (also one being delivered right now) and
   * each dead entry moved back.
   *
   * @return how many
   */
  default int retryAll() {
    int n = 0;
    for (OutboxEntry e : pending()) {
      n += retry(e.id()) ? 1 : 0;
    }
    for (OutboxEntry e : dead()) {
      n += retry(e.id()) ? 1 : 0;
    }
    return n;
  }

  /**
   * Deletes every dead entry.
   *
   * @return how many
   */
  int purgeDead();

  /** Releases the outbox (its lock); entries stay stored. */
  @Override
  void close();
}
