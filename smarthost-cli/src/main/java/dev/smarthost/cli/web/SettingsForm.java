package dev.smarthost.cli.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smarthost.Encryption;
import dev.smarthost.InvalidSettingException;
import dev.smarthost.OAuth2Client;
import dev.smarthost.SettingsField;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.settings.MailInstanceDirectory;
import dev.smarthost.core.settings.MailInstanceSmarthostResolver;
import dev.smarthost.core.settings.SmarthostSettingsService;
import java.net.URI;
import java.net.URISyntaxException;
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

    /** The page's name of the input at fault. */
    final String field;

    /** The setting at fault, if the input is one. */
    final transient @Nullable SettingsField setting;

    InvalidForm(SettingsField setting, String message) {
      super(message);
      this.field = formField(setting);
      this.setting = setting;
    }

    InvalidForm(String field, String message) {
      super(message);
      this.field = field;
      this.setting = null;
    }

    /** 422 for credentials the server would take but the form cannot keep; 400 otherwise. */
    int status() {
      return setting != null && setting.isCredentials() ? 422 : 400;
    }
  }

  static SmarthostSettings parse(
      JsonNode body,
      SmarthostResolver stored,
      @Nullable MailInstanceDirectory instances,
      int relayPort) {
    String instance = body.path("mailInstance").asText("");
    if (!instance.isEmpty()) {
      if (instances == null) {
        throw new InvalidForm(
            "mailInstance", "mailInstance: no Mail instances are known to this server");
      }
      return MailInstanceSmarthostResolver.builder(instances)
          .instance(instance)
          .relayPort(relayPort)
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
        throw new InvalidForm(SettingsField.PORT, "port: not a number");
      }
      field(() -> b.port(port));
    }
    b.verifyTls(body.path("verifyTls").asBoolean(true));
    String authentication = body.path("authentication").asText("");
    if (authentication.equals("none")) {
      return b.noCredentials().build();
    }
    if (authentication.equals("oauth2")) {
      return oauth2(body, stored, b);
    }
    if (!authentication.isEmpty() && !authentication.equals("password")) {
      throw new InvalidForm(
          SettingsField.USERNAME,
          "authentication: '" + authentication + "' is not none, password or oauth2");
    }
    String user = body.path("username").asText("");
    String password = body.hasNonNull("password") ? body.path("password").asText() : "";
    if (!user.isEmpty() && password.isEmpty()) {
      SmarthostSettings target = b.build();
      password =
          storedPasswordFor(stored, target, user)
              .orElseThrow(
                  () ->
                      new InvalidForm(
                          SettingsField.PASSWORD,
                          "password: enter it again; the stored password is kept only while host,"
                              + " port, encryption and user stay the same and certificate"
                              + " verification stays on"));
    }
    String p = password;
    field(() -> b.credentials(user, p));
    return b.build();
  }

  /**
   * OAuth 2.0: an empty client secret keeps the stored one only while it goes to the same token
   * endpoint for the same client, and the mailbox and server stay the same.
   */
  private static SmarthostSettings oauth2(
      JsonNode body, SmarthostResolver stored, SmarthostSettings.Builder b) {
    String user = body.path("username").asText("");
    if (user.isEmpty()) {
      throw new InvalidForm(
          SettingsField.USERNAME,
          "username: enter the mailbox that sends, e.g. notifications@contoso.com");
    }
    String url = body.path("oauth2TokenUrl").asText("");
    String clientId = body.path("oauth2ClientId").asText("");
    String scope = body.path("oauth2Scope").asText("");
    if (url.isEmpty() || clientId.isEmpty()) {
      throw new InvalidForm(
          url.isEmpty() ? SettingsField.OAUTH2_TOKEN_URL : SettingsField.OAUTH2_CLIENT_ID,
          (url.isEmpty() ? "token URL" : "client id") + ": required for OAuth 2.0");
    }
    URI endpoint;
    try {
      endpoint = new URI(url);
    } catch (URISyntaxException e) {
      throw new InvalidForm(SettingsField.OAUTH2_TOKEN_URL, "token URL: not a URL");
    }
    String secret = body.path("oauth2ClientSecret").asText("");
    if (secret.isEmpty()) {
      SmarthostSettings target = b.build();
      secret =
          storedSecretFor(stored, target, user, endpoint, clientId, scope)
              .orElseThrow(
                  () ->
                      new InvalidForm(
                          SettingsField.OAUTH2_CLIENT_SECRET,
                          "client secret: enter it again; the stored secret is kept only while the"
                              + " token URL, client id, scope, mailbox and server stay the same"
                              + " and certificate verification stays on"));
    }
    String s = secret;
    field(() -> b.oauth2(user, OAuth2Client.of(endpoint, clientId, s, scope)));
    return b.build();
  }

  /** The stored client secret, if it goes to the same token endpoint and client and server. */
  private static Optional<String> storedSecretFor(
      SmarthostResolver stored,
      SmarthostSettings target,
      String user,
      URI endpoint,
      String clientId,
      String scope) {
    return storedForSameServer(stored, target, user)
        .flatMap(SmarthostSettings::oauth2Client)
        .filter(c -> c.tokenEndpoint().equals(endpoint) && c.clientId().equals(clientId))
        .filter(c -> c.scope().orElse("").equals(scope))
        .map(OAuth2Client::clientSecret);
  }

  /** The stored password, if the stored settings send it to the same server as the form. */
  private static Optional<String> storedPasswordFor(
      SmarthostResolver stored, SmarthostSettings target, String user) {
    return storedForSameServer(stored, target, user).flatMap(SmarthostSettings::password);
  }

  /**
   * The stored settings, if they go to the form's host, port and encryption as the same user, and
   * the form does not switch certificate verification off: a stored secret never goes to a server
   * whose certificate is no longer checked unless it is entered again.
   */
  private static Optional<SmarthostSettings> storedForSameServer(
      SmarthostResolver stored, SmarthostSettings target, String user) {
    try {
      return stored
          .resolve()
          .filter(s -> s.host().equals(target.host()))
          .filter(s -> s.port() == target.port())
          .filter(s -> s.encryption() == target.encryption())
          .filter(s -> s.username().orElse("").equals(user))
          .filter(s -> target.verifyTls() || !s.verifyTls());
    } catch (SmarthostConfigurationException e) {
      return Optional.empty();
    }
  }

  private static void field(Runnable set) {
    try {
      set.run();
    } catch (InvalidSettingException e) {
      throw new InvalidForm(e.field(), String.valueOf(e.getMessage()));
    }
  }

  /**
   * The page's name of a field: its error element is {@code error-<name>}. The page shows the
   * credentials as one group.
   */
  static String formField(SettingsField field) {
    return field.isCredentials() ? "credentials" : field.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Where the page shows a failed check's hint: a field, the test message, or nowhere special. */
  static Optional<String> pageField(ValidationResult result) {
    return result
        .failure()
        .flatMap(
            f ->
                SmarthostSettingsService.fieldOf(f.kind())
                    .map(SettingsForm::formField)
                    .or(
                        () ->
                            SmarthostSettingsService.concernsTestMessage(f.kind())
                                ? Optional.of("test_message")
                                : Optional.empty()));
  }
}
