package dev.smarthost.core.outbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * The pending entries an {@link OutboxStore} holds in this process, each with where its message is
 * stored ({@code L}: a journal position, a stream entry) and whether the dispatcher is delivering
 * it right now. This is the bookkeeping behind {@link OutboxStore#claimDue}, {@link
 * OutboxStore#nextDue} and {@link OutboxStore#release} that {@link FileOutbox} and {@code
 * RedisOutbox} share, so that an entry is claimed by one delivery at a time in either. For
 * implementations of {@link OutboxStore}; thread-safe.
 *
 * <p>Entries are kept in the order of their ids; an outbox whose ids begin with the enqueue time
 * (as both do) hands out the oldest due entries first.
 *
 * @param <L> where an entry's message is stored
 */
public final class HeldEntries<L> {
  private final ConcurrentSkipListMap<String, Held<L>> byId = new ConcurrentSkipListMap<>();

  /** Creates an empty table. */
  public HeldEntries() {}

  /**
   * One held entry. Its entry and location change as the store records retries and moves; whether
   * it is claimed changes only with {@link HeldEntries#claimDue}, {@link #release} and {@link
   * #resetUnlessClaimed}.
   *
   * @param <L> where the entry's message is stored
   */
  public static final class Held<L> {
    private volatile OutboxEntry entry;
    private volatile L location;
    private boolean claimed; // guarded by this

    private Held(OutboxEntry entry, L location) {
      this.entry = entry;
      this.location = location;
    }

    /**
     * Returns the entry as last recorded.
     *
     * @return the entry
     */
    public OutboxEntry entry() {
      return entry;
    }

    /**
     * Returns where the entry's message is stored.
     *
     * @return the location
     */
    public L location() {
      return location;
    }

    /**
     * Records that the message was stored again elsewhere.
     *
     * @param moved the new location
     */
    public void moved(L moved) {
      this.location = moved;
    }

    /**
     * Replaces the entry and leaves it claimed or not as it is (a give-up for some recipients while
     * the delivery goes on).
     *
     * @param changed the entry
     */
    public synchronized void update(OutboxEntry changed) {
      this.entry = changed;
    }

    /**
     * Replaces the entry and hands it back to the dispatcher (rescheduled, or not delivered).
     *
     * @param changed the entry
     */
    public synchronized void release(OutboxEntry changed) {
      this.entry = changed;
      this.claimed = false;
    }

    /**
     * Changes the entry unless it is being delivered right now (an administrator's retry).
     *
     * @param change how
     * @return the changed entry, or empty if it is claimed and stays as it is
     */
    public synchronized Optional<OutboxEntry> resetUnlessClaimed(
        UnaryOperator<OutboxEntry> change) {
      if (claimed) {
        return Optional.empty();
      }
      entry = change.apply(entry);
      return Optional.of(entry);
    }

    private synchronized boolean claimIfDue(Instant now) {
      if (claimed || entry.nextAttemptAt().isAfter(now)) {
        return false;
      }
      claimed = true;
      return true;
    }

    private synchronized @Nullable Instant dueUnlessClaimed() {
      return claimed ? null : entry.nextAttemptAt();
    }
  }

  /**
   * Holds an entry, replacing one with the same id.
   *
   * @param entry the entry
   * @param location where its message is stored
   * @return the held entry
   */
  public Held<L> hold(OutboxEntry entry, L location) {
    Held<L> h = new Held<>(entry, location);
    byId.put(entry.id(), h);
    return h;
  }

  /**
   * Holds an entry unless one with the same id is held already (read twice from a shared store).
   *
   * @param entry the entry
   * @param location where its message is stored
   */
  public void holdIfAbsent(OutboxEntry entry, L location) {
    byId.putIfAbsent(entry.id(), new Held<>(entry, location));
  }

  /**
   * Returns a held entry.
   *
   * @param id its id
   * @return it, or null if not held
   */
  public @Nullable Held<L> get(String id) {
    return byId.get(id);
  }

  /**
   * Stops holding an entry (delivered, dead, or handed back to the store).
   *
   * @param id its id
   * @return it, or null if it was not held
   */
  public @Nullable Held<L> remove(String id) {
    return byId.remove(id);
  }

  /**
   * Returns the ids held, in order.
   *
   * @return a live view
   */
  public Set<String> ids() {
    return byId.keySet();
  }

  /**
   * Returns how many entries are held.
   *
   * @return the count
   */
  public int size() {
    return byId.size();
  }

  /**
   * Returns every held entry, in the order of their ids.
   *
   * @return a snapshot
   */
  public List<OutboxEntry> entries() {
    List<OutboxEntry> list = new ArrayList<>(byId.size());
    byId.values().forEach(h -> list.add(h.entry));
    return list;
  }

  /**
   * Returns where every held entry's message is stored.
   *
   * @return a snapshot
   */
  public List<L> locations() {
    List<L> list = new ArrayList<>(byId.size());
    byId.values().forEach(h -> list.add(h.location));
    return list;
  }

  /**
   * Returns the held entry with the smallest id.
   *
   * @return it, or empty if none is held
   */
  public Optional<OutboxEntry> first() {
    Map.Entry<String, Held<L>> first = byId.firstEntry();
    return first == null ? Optional.empty() : Optional.of(first.getValue().entry);
  }

  /**
   * Claims up to {@code max} entries that are due and not claimed, for {@link
   * OutboxStore#claimDue}.
   *
   * @param now the time
   * @param max how many at most
   * @return the claimed entries, in the order of their ids
   */
  public List<OutboxEntry> claimDue(Instant now, int max) {
    List<OutboxEntry> due = new ArrayList<>();
    for (Held<L> h : byId.values()) {
      if (due.size() >= max) {
        break;
      }
      if (h.claimIfDue(now)) {
        due.add(h.entry);
      }
    }
    return due;
  }

  /**
   * Returns when the next entry that is not claimed is due, for {@link OutboxStore#nextDue}.
   *
   * @return the time, or empty if none waits
   */
  public Optional<Instant> nextDue() {
    Instant next = null;
    for (Held<L> h : byId.values()) {
      Instant due = h.dueUnlessClaimed();
      if (due != null && (next == null || due.isBefore(next))) {
        next = due;
      }
    }
    return Optional.ofNullable(next);
  }

  /**
   * Hands a claimed entry back unchanged, for {@link OutboxStore#release}.
   *
   * @param id its id; nothing happens if it is not held
   */
  public void release(String id) {
    Held<L> h = byId.get(id);
    if (h != null) {
      h.release(h.entry);
    }
  }

  /** Empties the table. */
  public void clear() {
    byId.clear();
  }
}
