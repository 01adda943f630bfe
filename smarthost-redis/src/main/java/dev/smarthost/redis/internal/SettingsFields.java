package dev.smarthost.redis.internal;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of the cluster's {@code cluster/smarthost} hash to settings, with the cluster's
 * defaults for absent fields: port 587, starttls, verify on, disabled. Errors name the key and the
 * field, never the password.
 */
public final class SettingsFields {
  private SettingsFields() {}

  public static Optional<SmarthostSettings> parse(String key, Map<String, String> fields) {
    String enabled = fields.getOrDefault("enabled", "0");
    if (enabled.equals("0") || enabled.isEmpty()) {
      return Optional.empty();
    }
    if (!enabled.equals("1")) {
      throw error(key, "enabled", "'" + enabled + "' is not 1 or 0");
    }
    SmarthostSettings.Builder b = SmarthostSettings.builder();
    String host = fields.getOrDefault("host", "");
    if (host.isEmpty()) {
      throw error(key, "host", "required when enabled=1");
    }
    set(key, "host", () -> b.host(host));
    String encryption = fields.getOrDefault("encrypt_smtp", "starttls");
    set(key, "encrypt_smtp", () -> b.encryption(Encryption.fromConfigValue(encryption)));
    String port = fields.getOrDefault("port", "587");
    int value;
    try {
      value = Integer.parseInt(port.isEmpty() ? "587" : port);
    } catch (NumberFormatException e) {
      throw error(key, "port", "'" + port + "' is not a number");
    }
    set(key, "port", () -> b.port(value));
    String verify = fields.getOrDefault("tls_verify", "1");
    if (!verify.equals("1") && !verify.equals("0")) {
      throw error(key, "tls_verify", "'" + verify + "' is not 1 or 0");
    }
    b.verifyTls(verify.equals("1"));
    String user = fields.getOrDefault("username", "");
    String password = fields.getOrDefault("password", "");
    if (user.isEmpty() != password.isEmpty()) {
      throw user.isEmpty()
          ? error(key, "username", "required when a password is set")
          : error(key, "password", "required when a username is set");
    }
    set(key, "username", () -> b.credentials(user, password));
    return Optional.of(b.build());
  }

  private static void set(String key, String field, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      int colon = message.indexOf(": ");
      throw error(key, field, colon >= 0 ? message.substring(colon + 2) : message);
    }
  }

  private static SmarthostConfigurationException error(String key, String field, String problem) {
    return SmarthostConfigurationException.forKey("redis " + key, field, problem);
  }
}
