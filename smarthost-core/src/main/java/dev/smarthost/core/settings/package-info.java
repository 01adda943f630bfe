/**
 * Where the settings come from and where they are saved: {@link
 * dev.smarthost.core.settings.EnvFileSmarthostResolver} (the env file, live reload), {@link
 * dev.smarthost.core.settings.EnvironmentSmarthostResolver}, {@link
 * dev.smarthost.core.settings.MailInstanceSmarthostResolver} (the cluster's Mail app instance);
 * {@link dev.smarthost.core.settings.SmarthostStore} and {@link
 * dev.smarthost.core.settings.SmarthostSettingsService} (check, then save). {@link
 * dev.smarthost.core.settings.SettingsPublisher} is the building block for a resolver of your own.
 */
@NullMarked
package dev.smarthost.core.settings;

import org.jspecify.annotations.NullMarked;
