package dev.smarthost.testkit.internal;

import dev.smarthost.testkit.Fault;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The faults in force on one server, with what is left of their uses. Thread-safe. */
public final class FaultRegistry {
  private static final class Entry {
    final Fault fault;
    int remaining; // 0: unlimited

    Entry(Fault fault) {
      this.fault = fault;
      this.remaining = FaultRules.uses(fault);
    }

    /** Uses the fault once; true if it is now exhausted. */
    boolean use() {
      return remaining > 0 && --remaining == 0;
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  public synchronized void add(Fault fault) {
    entries.removeIf(e -> FaultRules.replaces(fault, e.fault));
    entries.add(new Entry(fault));
  }

  public synchronized List<Fault> list() {
    List<Fault> faults = new ArrayList<>();
    for (Entry e : entries) {
      faults.add(e.fault);
    }
    return List.copyOf(faults);
  }

  public synchronized void clear() {
    entries.clear();
  }

  /** The connection faults a new connection takes, using each counted one once. */
  synchronized ActiveFaults forConnection() {
    List<Fault> taken = new ArrayList<>();
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (!FaultRules.transactional(e.fault)) {
        taken.add(e.fault);
        if (e.use()) {
          it.remove();
        }
      }
    }
    return taken.isEmpty() ? ActiveFaults.NONE : new ActiveFaults(taken);
  }

  /** The step fault for this command, if any, using it once. */
  synchronized Optional<Fault> trigger(Fault.Step step, @Nullable String recipient) {
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (FaultRules.transactional(e.fault) && FaultRules.matches(e.fault, step, recipient)) {
        if (e.use()) {
          it.remove();
        }
        return Optional.of(e.fault);
      }
    }
    return Optional.empty();
  }
}
