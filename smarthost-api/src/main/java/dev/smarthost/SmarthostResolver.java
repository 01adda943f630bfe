package dev.smarthost;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Supplies the current smarthost settings from wherever the cluster keeps them: an env file, the
 * environment, a Mail instance, Redis.
 *
 * <p>Implementations are thread-safe and cheap to call repeatedly: they cache and re-read only when
 * the source changed. A source that turns invalid does not replace the last good settings.
 */
public interface SmarthostResolver {

  /**
   * Returns the settings in force now.
   *
   * @return the settings, or empty if the administrator switched e-mail off
   * @throws SmarthostConfigurationException if the source has never held valid settings
   */
  Optional<SmarthostSettings> resolve();

  /**
   * Asks to be told when the settings change or the source turns invalid. Sources that never change
   * ignore the listener.
   *
   * @param listener called on a resolver thread; must not block for long
   * @return closing it stops the notifications
   */
  default AutoCloseable subscribe(Consumer<SmarthostChange> listener) {
    return () -> {};
  }
}
