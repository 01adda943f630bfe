package dev.smarthost.core.internal;

import dev.smarthost.SmarthostChange;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of one resolver. A listener that throws is logged and does not stop the others. */
public final class Subscribers {
  private static final Logger LOG = LoggerFactory.getLogger(Subscribers.class);

  private final List<Consumer<SmarthostChange>> listeners = new CopyOnWriteArrayList<>();

  public AutoCloseable add(Consumer<SmarthostChange> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public boolean isEmpty() {
    return listeners.isEmpty();
  }

  public void publish(SmarthostChange change) {
    for (Consumer<SmarthostChange> listener : listeners) {
      try {
        listener.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("smarthost change listener {} failed", listener, e);
      }
    }
  }
}
