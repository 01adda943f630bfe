package dev.smarthost.core.outbox;

import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmtpFailure;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An {@link Outbox} as the mailer uses it: {@link #add} stores what {@link
 * dev.smarthost.core.send.SmarthostMailer#enqueue} accepted, and the mailer's dispatcher claims due
 * entries and records each outcome ({@link #delivered}, {@link #reschedule}, {@link #bury}, {@link
 * #release}). Applications hand an outbox store to {@code SmarthostMailer.Builder.outbox} and call
 * none of these methods themselves; implement it to keep messages elsewhere.
 */
public interface OutboxStore extends Outbox {
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
   * takes up to {@code max} pending entries that are due, oldest first, and marks them as being
   * delivered by this process until {@link #delivered}, {@link #reschedule}, {@link #bury} or
   * {@link #release}.
   *
   * @param now the current time
   * @param max at most this many
   * @return the entries
   */
  List<OutboxEntry> claimDue(Instant now, int max);

  /**
   * returns when the next pending entry that is not being delivered falls due.
   *
   * @return the time, or empty if there is none
   */
  Optional<Instant> nextDue();

  /**
   * returns a claimed entry's message.
   *
   * @param id the entry
   * @return the bytes given to {@link #add}
   * @throws SmarthostOutboxException if they cannot be read
   */
  byte[] content(String id);

  /**
   * the server accepted the message for all remaining recipients; forget it.
   *
   * @param id the entry
   */
  void delivered(String id);

  /**
   * a temporary failure; try these recipients again at {@code next}.
   *
   * @param id the entry
   * @param recipients the recipients still to deliver to
   * @param next when to try again
   * @param failure what went wrong
   */
  void reschedule(String id, List<String> recipients, Instant next, SmtpFailure failure);

  /**
   * give up on these recipients (all, or the permanently refused part of a partial delivery); they
   * become a dead entry with the reason. The rest of the entry, if any, stays claimed for {@link
   * #delivered} or {@link #reschedule}.
   *
   * @param id the entry
   * @param recipients the recipients given up on
   * @param reason why
   * @throws SmarthostOutboxException if the dead entry could not be written; the entry is then
   *     unchanged (pending and claimed), for the caller to {@link #reschedule}
   */
  void bury(String id, List<String> recipients, SmtpFailure reason);

  /**
   * the entry was claimed but not tried (the mailer is closing); leave it pending.
   *
   * @param id the entry
   */
  void release(String id);
}
