package dev.smarthost.core.settings;

import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state every {@link SmarthostResolver} keeps: the last good settings, which a broken source
 * never replaces, and the subscribers who hear each change. The resolvers of this library are built
 * on it; it is public for resolvers in other modules (Redis) and for your own.
 *
 * <p>A resolver reads its source and hands the outcome to {@link #accept} or {@link #reject}; both
 * answer the change to {@link #publish} (if any) rather than publishing it, so that the resolver
 * can publish outside its own lock. Each distinct problem is logged once, as a warning on the
 * owner's logger, without secrets (the messages of {@link SmarthostConfigurationException} never
 * contain one).
 *
 * <pre>{@code
 * SettingsPublisher publisher = new SettingsPublisher(MyResolver.class);
 * ...
 * publisher.accept(read).ifPresent(publisher::publish);
 * }</pre>
 */
public final class SettingsPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(SettingsPublisher.class);

  private final Logger log;
  private final List<Consumer<SmarthostChange>> listeners = new CopyOnWriteArrayList<>();

  /** What the source held when it was last valid (empty: sending switched off). */
  private record Good(Optional<SmarthostSettings> settings) {}

  // null until the source was first valid
  private volatile @Nullable Good good;
  private @Nullable SmarthostConfigurationException error;

  /**
   * Creates the state of one resolver.
   *
   * @param owner the resolver's class, whose logger reports problems with the source
   */
  public SettingsPublisher(Class<?> owner) {
    this.log = LoggerFactory.getLogger(owner);
  }

  /**
   * Returns whether the source has ever been valid. Lock-free.
   *
   * @return true once {@link #accept} has been called
   */
  public boolean hasSettings() {
    return good != null;
  }

  /**
   * Returns the settings in force: the last good ones. Lock-free once the source has been valid.
   *
   * @return the settings, or empty if sending is switched off
   * @throws SmarthostConfigurationException the source's problem, if it has never been valid
   * @throws IllegalStateException if the source has not been read yet
   */
  public Optional<SmarthostSettings> current() {
    Good g = good;
    if (g != null) {
      return g.settings();
    }
    synchronized (this) {
      g = good;
      if (g != null) {
        return g.settings();
      }
      if (error != null) {
        throw error;
      }
      throw new IllegalStateException("the source has not been read yet");
    }
  }

  /**
   * The source holds valid settings.
   *
   * @param read what the source holds (empty: sending switched off)
   * @return the change to publish, if they differ from the last good settings
   */
  public synchronized Optional<SmarthostChange> accept(Optional<SmarthostSettings> read) {
    Objects.requireNonNull(read, "read");
    error = null;
    Good previous = good;
    good = new Good(read);
    return previous == null || previous.settings().equals(read)
        ? Optional.empty()
        : Optional.of(SmarthostChange.updated(previous.settings(), read));
  }

  /**
   * The source turned invalid; the last good settings stay in force.
   *
   * @param problem what is wrong, naming the source's line or key
   * @return the failure to publish, once per distinct problem and only if there are settings to
   *     keep
   */
  public synchronized Optional<SmarthostChange> reject(SmarthostConfigurationException problem) {
    boolean repeated = error != null && Objects.equals(error.getMessage(), problem.getMessage());
    error = problem;
    Good kept = good;
    if (kept == null || repeated) {
      return Optional.empty();
    }
    log.warn("{}; keeping the last good settings", problem.getMessage());
    return Optional.of(SmarthostChange.failed(kept.settings(), problem));
  }

  /**
   * The source cannot be reached. Remembered only while it has never been valid, as the answer of
   * {@link #current()}; nothing is published.
   *
   * @param problem naming the source
   */
  public synchronized void unreachable(SmarthostConfigurationException problem) {
    if (good == null) {
      error = problem;
    }
  }

  /**
   * Adds a subscriber.
   *
   * @param listener told about every published change
   * @return closing it removes the listener
   */
  public AutoCloseable subscribe(Consumer<SmarthostChange> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Returns whether anyone is subscribed.
   *
   * @return true while a subscription is open
   */
  public boolean hasSubscribers() {
    return !listeners.isEmpty();
  }

  /**
   * Tells every subscriber, on the calling thread. A listener that throws is logged and does not
   * stop the others.
   *
   * @param change what changed
   */
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
