package dev.smarthost.cli.web;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.settings.SmarthostStore;
import java.util.function.Supplier;

/**
 * Ordered saves: a write goes through only while the stored settings are still the version the form
 * was based on ({@code If-Match}). The check is repeated under a lock right before the write, after
 * the (slow) validation, so of two saves based on the same version the first to finish wins and the
 * other gets {@link StaleWrite} (409).
 */
final class VersionedStore {
  private final SmarthostStore store;
  private final Supplier<String> currentVersion;
  private final Object lock = new Object();

  VersionedStore(SmarthostStore store, Supplier<String> currentVersion) {
    this.store = store;
    this.currentVersion = currentVersion;
  }

  /** Whether {@code If-Match} names the current version ({@code *} names any). */
  static boolean matches(String ifMatch, String current) {
    return ifMatch.strip().equals("*") || ifMatch.strip().equals(current);
  }

  /** The store for a save based on this version. */
  SmarthostStore basedOn(String ifMatch) {
    return new SmarthostStore() {
      @Override
      public void save(SmarthostSettings settings) {
        synchronized (lock) {
          check(ifMatch);
          store.save(settings);
        }
      }

      @Override
      public void disable() {
        synchronized (lock) {
          check(ifMatch);
          store.disable();
        }
      }
    };
  }

  private void check(String ifMatch) {
    if (!matches(ifMatch, currentVersion.get())) {
      throw new StaleWrite();
    }
  }

  /** Another save came first. */
  static final class StaleWrite extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StaleWrite() {
      super("stale write", null, false, false);
    }
  }
}
