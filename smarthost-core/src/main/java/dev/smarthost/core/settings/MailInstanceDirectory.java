package dev.smarthost.core.settings;

import dev.smarthost.SmarthostConfigurationException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the cluster lists its Mail instances: a file ({@link FileMailInstanceDirectory}) or Redis
 * ({@code RedisMailInstanceDirectory} in smarthost-redis).
 */
public interface MailInstanceDirectory {

  /**
   * Returns the instances registered now.
   *
   * @return the instances, ordered by id
   * @throws SmarthostConfigurationException if the directory cannot be read or holds invalid values
   */
  List<MailInstance> instances();

  /**
   * Asks to be told when the list changes (an instance appears, disappears or moves).
   *
   * @param listener receives the new list
   * @return closing it stops the notifications
   */
  default AutoCloseable subscribe(Consumer<List<MailInstance>> listener) {
    return () -> {};
  }
}
