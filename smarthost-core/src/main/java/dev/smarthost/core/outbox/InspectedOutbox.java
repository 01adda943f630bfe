package dev.smarthost.core.outbox;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A {@link FileOutbox} directory seen from outside, without opening it (its application may be
 * running): the views read the journal and {@code dead/}; a retry of a dead entry moves it to
 * {@code pending/}, a retry of a pending one leaves a marker, and the owning process takes both in
 * within seconds (or at its next start). Every call checks the ownership rule again.
 */
final class InspectedOutbox implements Outbox {
  private final Path dir;

  InspectedOutbox(Path dir) {
    OutboxDirectory.check(dir);
    this.dir = dir;
  }

  @Override
  public List<OutboxEntry> pending() {
    OutboxDirectory.check(dir);
    return OutboxDirectory.pending(dir);
  }

  @Override
  public List<OutboxEntry> dead() {
    OutboxDirectory.check(dir);
    return OutboxDirectory.dead(dir);
  }

  @Override
  public int deadCount() {
    OutboxDirectory.check(dir);
    return OutboxDirectory.deadCount(dir);
  }

  @Override
  public int pendingCount() {
    return pending().size();
  }

  @Override
  public Optional<Instant> oldestPending() {
    return pending().stream().map(OutboxEntry::enqueuedAt).min(Instant::compareTo);
  }

  @Override
  public boolean retry(String id) {
    OutboxDirectory.check(dir);
    return OutboxDirectory.retry(dir, id) || OutboxDirectory.retryPending(dir, id);
  }

  @Override
  public int purgeDead() {
    OutboxDirectory.check(dir);
    return OutboxDirectory.purgeDead(dir);
  }

  /** Nothing to release: the directory was never opened. */
  @Override
  public void close() {}

  @Override
  public String toString() {
    return "FileOutbox.inspect(" + dir + ")";
  }
}
