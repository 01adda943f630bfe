package dev.smarthost.cli.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.smarthost.InvalidSettingException;
import dev.smarthost.SettingsField;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.cli.report.DiscoveryReport;
import dev.smarthost.core.check.DiscoveryResult;
import dev.smarthost.core.check.SmtpConnectionValidator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/discover} of the settings page ("Detect"): body {@code {host, ports?, username?,
 * password?}}, answer the JSON of {@code smarthost discover --json}. An empty password uses the
 * stored one while host, user and port are the stored ones, as saving does; it is never sent back.
 */
final class DiscoverEndpoint {
  private final SmtpConnectionValidator validator;
  private final SmarthostResolver resolver;
  private final CheckRate checks;
  private final java.util.function.Predicate<String> hostAllowed;

  DiscoverEndpoint(
      SmtpConnectionValidator validator,
      SmarthostResolver resolver,
      CheckRate checks,
      java.util.function.Predicate<String> hostAllowed) {
    this.validator = validator;
    this.resolver = resolver;
    this.checks = checks;
    this.hostAllowed = hostAllowed;
  }

  void handle(HttpExchange exchange, JsonNode body) throws IOException {
    String host = body.path("host").asText("").trim();
    List<Integer> ports = new ArrayList<>();
    JsonNode given = body.path("ports");
    if (given.isMissingNode() || given.isNull()) {
      ports.addAll(SmtpConnectionValidator.DISCOVERY_PORTS);
    } else if (!given.isArray()) {
      JsonExchange.send(
          exchange,
          400,
          JsonExchange.error(SettingsForm.formField(SettingsField.PORT), "ports: must be a list"));
      return;
    } else {
      for (JsonNode p : given) {
        if (!p.canConvertToInt()) {
          JsonExchange.send(
              exchange,
              400,
              JsonExchange.error(
                  SettingsForm.formField(SettingsField.PORT), "ports: each must be 1–65535"));
          return;
        }
        ports.add(p.asInt());
      }
    }
    String username = body.path("username").asText("").trim();
    String password = body.path("password").asText("");
    if (!username.isEmpty() && password.isEmpty()) {
      password = storedPassword(host, username, ports);
      if (password == null) {
        JsonExchange.send(
            exchange,
            422,
            JsonExchange.error(
                SettingsForm.formField(SettingsField.PASSWORD),
                "enter the password to detect with this login"));
        return;
      }
    }
    if (!host.isEmpty() && !hostAllowed.test(host)) {
      JsonExchange.send(exchange, 422, SettingsServer.notAllowed());
      return;
    }
    if (!checks.admit(exchange)) {
      return;
    }
    DiscoveryResult result;
    try {
      result =
          username.isEmpty()
              ? validator.discover(host, ports)
              : validator.discover(host, ports, username, password);
    } catch (InvalidSettingException e) {
      JsonExchange.send(
          exchange,
          400,
          JsonExchange.error(SettingsForm.formField(e.field()), String.valueOf(e.getMessage())));
      return;
    } catch (IllegalArgumentException e) { // the ports, which the discovery checks itself
      JsonExchange.send(
          exchange,
          400,
          JsonExchange.error(
              SettingsForm.formField(SettingsField.PORT), String.valueOf(e.getMessage())));
      return;
    }
    JsonExchange.send(
        exchange, result.recommended().isPresent() ? 200 : 422, DiscoveryReport.json(result));
  }

  /**
   * The stored password, lent to a detection only under the rule saving has: the stored host and
   * user, and no port but the stored one (detection always verifies certificates and never sends a
   * password in clear text).
   */
  private @Nullable String storedPassword(String host, String username, List<Integer> ports) {
    Optional<SmarthostSettings> stored;
    try {
      stored = resolver.resolve();
    } catch (SmarthostConfigurationException e) {
      return null;
    }
    return stored
        .filter(s -> s.host().equalsIgnoreCase(SmarthostSettings.normalizeHost(host)))
        .filter(s -> s.username().orElse("").equals(username))
        .filter(s -> ports.stream().allMatch(p -> p == s.port()))
        .flatMap(SmarthostSettings::password)
        .orElse(null);
  }
}
