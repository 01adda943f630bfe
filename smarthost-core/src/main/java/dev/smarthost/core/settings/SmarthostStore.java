package dev.smarthost.core.settings;

import dev.smarthost.SmarthostSettings;

/**
 * The write side of a settings source: stores settings so that every reader sees the old ones or
 * the new ones, never half. Implementations: {@link EnvFileSmarthostStore}, {@code
 * RedisSmarthostStore} (smarthost-redis).
 */
public interface SmarthostStore {

  /**
   * Stores the settings and switches e-mail on.
   *
   * @param settings the new settings
   * @throws IllegalArgumentException naming the field if a value cannot be stored in the source's
   *     format
   * @throws dev.smarthost.SmarthostConfigurationException if the source cannot be written
   */
  void save(SmarthostSettings settings);

  /**
   * Switches e-mail off: readers resolve to empty.
   *
   * @throws dev.smarthost.SmarthostConfigurationException if the source cannot be written
   */
  void disable();
}
