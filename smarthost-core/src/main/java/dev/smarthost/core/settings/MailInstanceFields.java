package dev.smarthost.core.settings;

import dev.smarthost.InvalidSettingException;
import dev.smarthost.SmarthostConfigurationException;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The fields of a Mail instance record ({@code host}, {@code port}, …) to a {@link MailInstance}.
 */
final class MailInstanceFields {
  private MailInstanceFields() {}

  /**
   * Builds an instance from its record's fields.
   *
   * @param error makes the exception for a field and a problem
   */
  static MailInstance fromFields(
      String id,
      Map<String, String> fields,
      BiFunction<String, String, SmarthostConfigurationException> error) {
    MailInstance.Builder b;
    try {
      b = MailInstance.builder(id);
    } catch (IllegalArgumentException e) {
      throw error.apply("host", "the module id is not valid (" + e.getMessage() + ")");
    }
    String host = fields.get("host");
    if (host == null || host.isEmpty()) {
      throw error.apply("host", "required");
    }
    try {
      b.host(host);
    } catch (InvalidSettingException e) {
      throw error.apply("host", e.problem());
    }
    String port = fields.get("port");
    if (port != null && !port.isEmpty()) {
      int value;
      try {
        value = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw error.apply("port", "'" + port + "' is not a number");
      }
      if (value < 1 || value > 65535) {
        throw error.apply("port", "'" + port + "' is not a port (1–65535)");
      }
      b.submissionPort(value);
    }
    b.node(fields.getOrDefault("node", ""));
    b.mailHostname(fields.getOrDefault("mail_hostname", ""));
    b.userDomain(fields.getOrDefault("user_domain", ""));
    return b.build();
  }
}
