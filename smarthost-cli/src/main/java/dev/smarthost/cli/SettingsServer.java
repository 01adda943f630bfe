package dev.smarthost.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.smarthost.Encryption;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.MailInstance;
import dev.smarthost.core.MailInstanceDirectory;
import dev.smarthost.core.SmarthostSettingsService;
import dev.smarthost.core.SmarthostStore;
import dev.smarthost.core.SmtpConnectionValidator;
import dev.smarthost.core.TestMessage;
import dev.smarthost.core.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The settings page and its JSON API on the JDK's HTTP server. Reads are open (they never contain
 * the password); writes need the token in the {@code X-Smarthost-Token} header — not a cookie, so a
 * foreign page cannot forge them. Bodies are limited to 16 KiB.
 */
final class SettingsServer implements AutoCloseable {
  static final String TOKEN_HEADER = "X-Smarthost-Token";
  private static final int MAX_BODY = 16 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer http;
  private final ExecutorService executor;
  private final SmarthostResolver resolver;
  private final SmarthostStore store;
  private final SmtpConnectionValidator validator;
  private final @Nullable MailInstanceDirectory instances;
  private final byte[] token;

  SettingsServer(
      InetSocketAddress listen,
      String token,
      SmarthostResolver resolver,
      SmarthostStore store,
      SmtpConnectionValidator validator,
      @Nullable MailInstanceDirectory instances)
      throws IOException {
    this.resolver = resolver;
    this.store = store;
    this.validator = validator;
    this.instances = instances;
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.http = HttpServer.create(listen, 16);
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "smarthost-serve");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
  }

  int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      switch (path) {
        case "/":
          if (!method.equals("GET")) {
            send(exchange, 405, error("method", "use GET"));
          } else {
            page(exchange);
          }
          break;
        case "/api/settings":
          if (method.equals("GET")) {
            send(exchange, 200, currentSettings());
          } else if (method.equals("PUT")) {
            if (authorized(exchange)) {
              saveSettings(exchange);
            }
          } else {
            send(exchange, 405, error("method", "use GET or PUT"));
          }
          break;
        case "/api/test-message":
          if (!method.equals("POST")) {
            send(exchange, 405, error("method", "use POST"));
          } else if (authorized(exchange)) {
            testMessage(exchange);
          }
          break;
        case "/api/mail-instances":
          if (!method.equals("GET")) {
            send(exchange, 405, error("method", "use GET"));
          } else {
            send(exchange, 200, mailInstances());
          }
          break;
        default:
          send(exchange, 404, error("path", "no such page"));
      }
    } catch (RuntimeException e) {
      // Never echo the request: it may hold a password.
      send(exchange, 500, error("server", e.getClass().getSimpleName()));
    }
  }

  private boolean authorized(HttpExchange exchange) throws IOException {
    String given = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
    if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      send(
          exchange,
          401,
          error("token", "send the token printed at start in the " + TOKEN_HEADER + " header"));
      return false;
    }
    return true;
  }

  private void page(HttpExchange exchange) throws IOException {
    byte[] html;
    try (InputStream in = SettingsServer.class.getResourceAsStream("settings.html")) {
      html = in.readAllBytes();
    }
    exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
    exchange.sendResponseHeaders(200, html.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(html);
    }
  }

  private ObjectNode currentSettings() {
    ObjectNode node = JSON.createObjectNode();
    Optional<SmarthostSettings> settings;
    try {
      settings = resolver.resolve();
    } catch (SmarthostConfigurationException e) {
      node.put("enabled", false);
      node.put("problem", e.getMessage());
      return node;
    }
    node.put("enabled", settings.isPresent());
    settings.ifPresent(
        s -> {
          node.put("host", s.host());
          node.put("port", s.port());
          node.put("encryption", s.encryption().configValue());
          node.put("verifyTls", s.verifyTls());
          node.put("username", s.username().orElse(""));
          node.put("passwordSet", s.password().isPresent());
        });
    return node;
  }

  private void saveSettings(HttpExchange exchange) throws IOException {
    JsonNode body = body(exchange);
    if (body == null) {
      return;
    }
    SmarthostSettings settings;
    try {
      settings = fromForm(body);
    } catch (IllegalArgumentException | IllegalStateException e) {
      send(exchange, 400, error(fieldOf(e.getMessage()), e.getMessage()));
      return;
    } catch (SmarthostConfigurationException e) {
      send(exchange, 422, error("mailInstance", e.problem()));
      return;
    }
    SmarthostSettingsService.Outcome outcome =
        new SmarthostSettingsService(validator, store)
            .apply(settings, body.path("force").asBoolean(false));
    ObjectNode result = report(outcome.validation());
    result.put("saved", outcome.saved());
    outcome.field().ifPresent(f -> result.put("field", f.name().toLowerCase(Locale.ROOT)));
    send(exchange, outcome.saved() ? 200 : 422, result);
  }

  /** The form to settings; a missing password keeps the stored one for the same user. */
  private SmarthostSettings fromForm(JsonNode body) {
    String instance = body.path("mailInstance").asText("");
    if (!instance.isEmpty()) {
      if (instances == null) {
        throw new IllegalArgumentException(
            "mailInstance: no Mail instances are known to this server");
      }
      return dev.smarthost.core.MailInstanceSmarthostResolver.builder(instances)
          .instance(instance)
          .build()
          .resolve()
          .orElseThrow();
    }
    SmarthostSettings.Builder b = SmarthostSettings.builder().host(body.path("host").asText(""));
    b.encryption(Encryption.fromConfigValue(body.path("encryption").asText("starttls")));
    if (body.hasNonNull("port") && !body.path("port").asText().isEmpty()) {
      int port;
      try {
        port = Integer.parseInt(body.path("port").asText());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "port: '" + body.path("port").asText() + "' is not a number");
      }
      b.port(port);
    }
    b.verifyTls(body.path("verifyTls").asBoolean(true));
    String user = body.path("username").asText("");
    String password = body.hasNonNull("password") ? body.path("password").asText() : null;
    if (password == null || password.isEmpty()) {
      password = storedPasswordFor(user);
    }
    b.credentials(user, password);
    return b.build();
  }

  private String storedPasswordFor(String user) {
    try {
      return resolver
          .resolve()
          .filter(s -> s.username().orElse("").equals(user))
          .flatMap(SmarthostSettings::password)
          .orElse("");
    } catch (SmarthostConfigurationException e) {
      return "";
    }
  }

  private void testMessage(HttpExchange exchange) throws IOException {
    JsonNode body = body(exchange);
    if (body == null) {
      return;
    }
    TestMessage message;
    Optional<SmarthostSettings> settings;
    try {
      message = TestMessage.of(body.path("from").asText(""), body.path("to").asText(""));
      settings = resolver.resolve();
    } catch (IllegalArgumentException e) {
      send(exchange, 400, error(fieldOf(e.getMessage()), e.getMessage()));
      return;
    }
    if (settings.isEmpty()) {
      send(exchange, 409, error("enabled", "e-mail is switched off; save settings first"));
      return;
    }
    ValidationResult result = validator.validate(settings.get(), message);
    ObjectNode report = report(result);
    result
        .failure()
        .flatMap(f -> SmarthostSettingsService.fieldOf(f.kind()))
        .ifPresent(f -> report.put("field", f.name().toLowerCase(Locale.ROOT)));
    send(exchange, result.ok() ? 200 : 422, report);
  }

  private JsonNode mailInstances() {
    var list = JSON.createArrayNode();
    if (instances != null) {
      try {
        for (MailInstance m : instances.instances()) {
          ObjectNode n = list.addObject();
          n.put("id", m.id());
          n.put("host", m.host());
          n.put("submissionPort", m.submissionPort());
          m.mailHostname().ifPresent(h -> n.put("mailHostname", h));
        }
      } catch (SmarthostConfigurationException e) {
        // an unreadable directory lists nothing
      }
    }
    return list;
  }

  private static ObjectNode report(ValidationResult r) {
    try {
      return (ObjectNode) JSON.readTree(Report.json(r));
    } catch (IOException e) {
      throw new IllegalStateException("the report is not JSON", e);
    }
  }

  private @Nullable JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
    if (bytes.length > MAX_BODY) {
      send(exchange, 413, error("body", "requests are limited to " + MAX_BODY + " bytes"));
      return null;
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new IOException("not an object");
      }
      return node;
    } catch (IOException e) {
      send(exchange, 400, error("body", "expected a JSON object"));
      return null;
    }
  }

  private static String fieldOf(@Nullable String message) {
    String m = String.valueOf(message);
    int colon = m.indexOf(':');
    String field = colon > 0 ? m.substring(0, colon) : "form";
    return field.equals("password") || field.equals("username") ? "credentials" : field;
  }

  private static ObjectNode error(String field, String hint) {
    ObjectNode node = JSON.createObjectNode();
    node.put("field", field);
    node.put("hint", hint);
    return node;
  }

  private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
