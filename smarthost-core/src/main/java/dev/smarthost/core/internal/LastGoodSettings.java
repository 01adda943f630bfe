package dev.smarthost.core.internal;

import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * What a resolver answers: the last good settings, which a broken source never replaces. Decides
 * which change to publish and logs each distinct problem once (without secrets: the messages of
 * {@link SmarthostConfigurationException} never contain one).
 */
public final class LastGoodSettings {
  private final Logger log;
  private volatile @Nullable Optional<SmarthostSettings> good;
  private @Nullable SmarthostConfigurationException error;

  public LastGoodSettings(Logger log) {
    this.log = log;
  }

  /** The last good settings, or null if there never were any. Lock-free. */
  public @Nullable Optional<SmarthostSettings> good() {
    return good;
  }

  /** The settings in force; throws the source's problem if there never were good settings. */
  public synchronized Optional<SmarthostSettings> current() {
    Optional<SmarthostSettings> g = good;
    if (g != null) {
      return g;
    }
    throw Objects.requireNonNull(error, "no settings read yet");
  }

  /** New valid settings; returns the change to publish, if they differ. */
  public synchronized @Nullable SmarthostChange accept(Optional<SmarthostSettings> read) {
    error = null;
    Optional<SmarthostSettings> previous = good;
    good = read;
    return previous == null || previous.equals(read)
        ? null
        : SmarthostChange.updated(previous, read);
  }

  /** The source turned invalid; returns the failure to publish, once per distinct problem. */
  public synchronized @Nullable SmarthostChange reject(SmarthostConfigurationException e) {
    boolean repeated = error != null && Objects.equals(error.getMessage(), e.getMessage());
    error = e;
    Optional<SmarthostSettings> kept = good;
    if (kept == null || repeated) {
      return null;
    }
    log.warn("{}; keeping the last good settings", e.getMessage());
    return SmarthostChange.failed(kept, e);
  }

  /** The source cannot be reached; remembered only for callers that never had settings. */
  public synchronized void unreachable(SmarthostConfigurationException e) {
    if (good == null) {
      error = e;
    }
  }
}
