package dev.smarthost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smarthost.Encryption;
import dev.smarthost.InvalidSettingException;
import dev.smarthost.SettingsField;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.MailInstanceDirectory;
import dev.smarthost.core.MailInstanceSmarthostResolver;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The settings page's form to settings. An empty password keeps the stored one only while it goes
 * to the same place: same host, port, encryption and user. Otherwise the stored password would be
 * sent to whatever server the form names (a form that changes the host to one the attacker runs,
 * with no password, used to receive the stored one).
 */
final class SettingsForm {
  private SettingsForm() {}

  /** A form value that is wrong; the field is the form's, the message names it. */
  static final class InvalidForm extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String field;

    InvalidForm(String field, String message) {
      super(message);
      this.field = field;
    }
  }

  static SmarthostSettings parse(
      JsonNode body, SmarthostResolver stored, @Nullable MailInstanceDirectory instances) {
    String instance = body.path("mailInstance").asText("");
    if (!instance.isEmpty()) {
      if (instances == null) {
        throw new InvalidForm(
            "mailInstance", "mailInstance: no Mail instances are known to this server");
      }
      return MailInstanceSmarthostResolver.builder(instances)
          .instance(instance)
          .build()
          .resolve()
          .orElseThrow();
    }
    SmarthostSettings.Builder b = SmarthostSettings.builder();
    field(() -> b.host(body.path("host").asText("")));
    field(
        () -> b.encryption(Encryption.fromConfigValue(body.path("encryption").asText("starttls"))));
    if (body.hasNonNull("port") && !body.path("port").asText().isEmpty()) {
      int port;
      try {
        port = Integer.parseInt(body.path("port").asText());
      } catch (NumberFormatException e) {
        throw new InvalidForm("port", "port: not a number");
      }
      field(() -> b.port(port));
    }
    b.verifyTls(body.path("verifyTls").asBoolean(true));
    String user = body.path("username").asText("");
    String password = body.hasNonNull("password") ? body.path("password").asText() : "";
    if (!user.isEmpty() && password.isEmpty()) {
      SmarthostSettings target = b.build();
      password =
          storedPasswordFor(stored, target, user)
              .orElseThrow(
                  () ->
                      new InvalidForm(
                          "credentials",
                          "password: enter it again; the stored password is kept only while host,"
                              + " port, encryption and user stay the same"));
    }
    String p = password;
    field(() -> b.credentials(user, p));
    return b.build();
  }

  /** The stored password, if the stored settings send it to the same server as the form. */
  private static Optional<String> storedPasswordFor(
      SmarthostResolver stored, SmarthostSettings target, String user) {
    try {
      return stored
          .resolve()
          .filter(s -> s.host().equals(target.host()))
          .filter(s -> s.port() == target.port())
          .filter(s -> s.encryption() == target.encryption())
          .filter(s -> s.username().orElse("").equals(user))
          .flatMap(SmarthostSettings::password);
    } catch (SmarthostConfigurationException e) {
      return Optional.empty();
    }
  }

  private static void field(Runnable set) {
    try {
      set.run();
    } catch (InvalidSettingException e) {
      throw new InvalidForm(formField(e.field()), e.getMessage());
    }
  }

  /** The page's name of a field: its error element is {@code error-<name>}. */
  static String formField(SettingsField field) {
    return field.isCredentials() ? "credentials" : field.name().toLowerCase(java.util.Locale.ROOT);
  }
}
