package dev.smarthost.core.outbox;

import dev.smarthost.SmtpFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** One message in an {@link Outbox}: pending or dead. Immutable. */
public final class OutboxEntry {
  private final String id;
  private final Instant enqueuedAt;
  private final int attempts;
  private final Instant nextAttemptAt;
  private final List<String> recipients;
  private final long size;
  private final @Nullable SmtpFailure lastFailure;

  /**
   * Creates an entry (for {@link Outbox} implementations).
   *
   * @param id the entry's id
   * @param enqueuedAt when it was accepted
   * @param attempts delivery attempts so far
   * @param nextAttemptAt when it is due
   * @param recipients the recipients still to deliver to
   * @param size the message's size in bytes
   * @param lastFailure the last failure (for a dead entry: why it is dead), or null
   */
  public OutboxEntry(
      String id,
      Instant enqueuedAt,
      int attempts,
      Instant nextAttemptAt,
      List<String> recipients,
      long size,
      @Nullable SmtpFailure lastFailure) {
    this.id = Objects.requireNonNull(id, "id");
    this.enqueuedAt = Objects.requireNonNull(enqueuedAt, "enqueuedAt");
    this.attempts = attempts;
    this.nextAttemptAt = Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
    this.recipients = List.copyOf(recipients);
    this.size = size;
    this.lastFailure = lastFailure;
  }

  /**
   * Returns the id {@code enqueue} returned.
   *
   * @return the id
   */
  public String id() {
    return id;
  }

  /**
   * Returns when the message was accepted.
   *
   * @return the time
   */
  public Instant enqueuedAt() {
    return enqueuedAt;
  }

  /**
   * Returns how many delivery attempts failed so far.
   *
   * @return 0 before the first
   */
  public int attempts() {
    return attempts;
  }

  /**
   * Returns when the next attempt is due.
   *
   * @return the time
   */
  public Instant nextAttemptAt() {
    return nextAttemptAt;
  }

  /**
   * Returns the recipients still to deliver to (or, for a dead entry, given up on).
   *
   * @return the addresses
   */
  public List<String> recipients() {
    return recipients;
  }

  /**
   * Returns the message's size.
   *
   * @return bytes
   */
  public long size() {
    return size;
  }

  /**
   * Returns the last failure: for a pending entry why the last attempt failed, for a dead one why
   * it was given up.
   *
   * @return the failure, or empty before the first attempt
   */
  public Optional<SmtpFailure> lastFailure() {
    return Optional.ofNullable(lastFailure);
  }

  /**
   * Returns a copy with other delivery state.
   *
   * @param attempts attempts so far
   * @param nextAttemptAt when due
   * @param recipients the recipients left
   * @param lastFailure the last failure
   * @return the new entry
   */
  public OutboxEntry with(
      int attempts,
      Instant nextAttemptAt,
      List<String> recipients,
      @Nullable SmtpFailure lastFailure) {
    return new OutboxEntry(id, enqueuedAt, attempts, nextAttemptAt, recipients, size, lastFailure);
  }

  /**
   * Returns whether a give-up on {@code givenUp} ends this entry: they are all of its recipients.
   *
   * @param givenUp the recipients given up on
   * @return true if none is left
   */
  public boolean coveredBy(List<String> givenUp) {
    return givenUp.containsAll(recipients);
  }

  /**
   * Returns the id of the dead entry for a give-up on {@code givenUp}: this entry's own id when no
   * recipient is left, else a new one beside it (the rest stays pending under this id).
   *
   * @param givenUp the recipients given up on
   * @return the dead entry's id
   */
  public String deadId(List<String> givenUp) {
    return coveredBy(givenUp)
        ? id
        : id + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt());
  }

  /**
   * Returns what stays pending after a give-up on {@code givenUp}: the other recipients, with the
   * attempts, due time and last failure as they are.
   *
   * @param givenUp the recipients given up on
   * @return the entry for the recipients left
   */
  public OutboxEntry without(List<String> givenUp) {
    List<String> left = new ArrayList<>(recipients);
    left.removeAll(givenUp);
    return with(attempts, nextAttemptAt, left, lastFailure);
  }

  @Override
  public String toString() {
    return "OutboxEntry{"
        + id
        + ", attempts="
        + attempts
        + ", next="
        + nextAttemptAt
        + ", recipients="
        + recipients.size()
        + (lastFailure == null ? "" : ", last=" + lastFailure.kind())
        + "}";
  }
}
