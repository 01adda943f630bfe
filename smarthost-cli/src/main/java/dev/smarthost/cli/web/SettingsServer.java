package dev.smarthost.cli.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.cli.report.Report;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.settings.MailInstance;
import dev.smarthost.core.settings.MailInstanceDirectory;
import dev.smarthost.core.settings.MailInstanceSmarthostResolver;
import dev.smarthost.core.settings.SmarthostSettingsService;
import dev.smarthost.core.settings.SmarthostStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The settings page and its JSON API, served by {@link HttpFront}. Reads are open (they never
 * contain the password); writes need the token in the {@code X-Smarthost-Token} header — not a
 * cookie, so a foreign page cannot forge them. Bodies are limited to 16 KiB.
 *
 * <p>Hostile clients: only the listen address's own host names are accepted in {@code Host} (421
 * otherwise: a page on another site cannot reach the API through DNS rebinding); each request must
 * arrive whole within {@link #MAX_REQUEST_TIME} (headers and body, else the connection is closed),
 * and is read by the front's selector thread before one of 16 workers handles it, so stalled
 * clients hold sockets, not workers; one address keeps at most {@link HttpFront#PER_CLIENT}
 * connections. Saves are ordered: {@code PUT} needs the {@code ETag} of the settings it replaces in
 * {@code If-Match} (428 without, 409 when they changed meanwhile).
 */
public final class SettingsServer implements AutoCloseable {
  public static final String TOKEN_HEADER = "X-Smarthost-Token";

  /** How long one request (headers and body) may take to arrive. */
  static final Duration MAX_REQUEST_TIME = Duration.ofSeconds(10);

  private static final int MAX_BODY = 16 * 1024;
  private static final int WORKERS = 16;

  private final HttpFront http;
  private final CheckRate checks = new CheckRate();

  /** Where a Mail instance relays: port 25, or a test's own port (see {@link #relayPort(int)}). */
  private volatile int relayPort = MailInstanceSmarthostResolver.RELAY_PORT;

  /** The SMTP hosts this page may check (save, detect); empty: any. */
  private volatile Set<String> smtpHosts = Set.of();

  private final ExecutorService executor;
  private final SmarthostResolver resolver;
  private final SmtpConnectionValidator validator;
  private final @Nullable MailInstanceDirectory instances;
  private final byte[] token;
  private final SettingsVersion versions = new SettingsVersion();
  private final VersionedStore saves;
  private final Set<String> hostNames;

  public SettingsServer(
      InetSocketAddress listen,
      List<String> extraHostNames,
      String token,
      SmarthostResolver resolver,
      SmarthostStore store,
      SmtpConnectionValidator validator,
      @Nullable MailInstanceDirectory instances)
      throws IOException {
    this.resolver = resolver;
    this.validator = validator;
    this.instances = instances;
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.saves = new VersionedStore(store, () -> currentSettings().path("version").asText());
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            WORKERS,
            WORKERS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "smarthost-serve");
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
    this.http = new HttpFront(listen, MAX_BODY, MAX_REQUEST_TIME, executor, this::handle);
    this.hostNames = HostHeader.allowed(http.address(), extraHostNames);
  }

  /** For tests: relay to Mail instances on this port instead of 25, which may be anybody's. */
  void relayPort(int port) {
    this.relayPort = port;
  }

  public int port() {
    return http.address().getPort();
  }

  @Override
  public void close() {
    http.close();
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      if (!HostHeader.accepted(exchange.getRequestHeaders().getFirst("Host"), hostNames)) {
        // Never echo the Host header: it is the attacker's text.
        JsonExchange.send(
            exchange,
            421,
            JsonExchange.error("host", "this server answers only to the address it listens on"));
        return;
      }
      switch (path) {
        case "/" -> {
          if (!method.equals("GET")) {
            JsonExchange.send(exchange, 405, JsonExchange.error("method", "use GET"));
          } else {
            page(exchange);
          }
        }
        case "/api/settings" -> {
          if (method.equals("GET")) {
            ObjectNode current = currentSettings();
            exchange.getResponseHeaders().set("ETag", current.path("version").asText());
            JsonExchange.send(exchange, 200, current);
          } else if (method.equals("PUT")) {
            if (authorized(exchange)) {
              saveSettings(exchange);
            }
          } else {
            JsonExchange.send(exchange, 405, JsonExchange.error("method", "use GET or PUT"));
          }
        }
        case "/api/test-message" -> {
          if (!method.equals("POST")) {
            JsonExchange.send(exchange, 405, JsonExchange.error("method", "use POST"));
          } else if (authorized(exchange)) {
            testMessage(exchange);
          }
        }
        case "/api/discover" -> {
          if (!method.equals("POST")) {
            JsonExchange.send(exchange, 405, JsonExchange.error("method", "use POST"));
          } else if (authorized(exchange)) {
            JsonNode body = JsonExchange.body(exchange, MAX_BODY);
            if (body != null) {
              new DiscoverEndpoint(validator, resolver, checks, this::smtpHostAllowed)
                  .handle(exchange, body);
            }
          }
        }
        case "/api/mail-instances" -> {
          if (!method.equals("GET")) {
            JsonExchange.send(exchange, 405, JsonExchange.error("method", "use GET"));
          } else {
            JsonExchange.send(exchange, 200, mailInstances());
          }
        }
        default -> JsonExchange.send(exchange, 404, JsonExchange.error("path", "no such page"));
      }
    } catch (RuntimeException e) {
      // Never echo the request: it may hold a password.
      JsonExchange.send(exchange, 500, JsonExchange.error("server", e.getClass().getSimpleName()));
    }
  }

  private boolean authorized(HttpExchange exchange) throws IOException {
    String given = exchange.getRequestHeaders().getFirst(TOKEN_HEADER);
    if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      JsonExchange.send(
          exchange,
          401,
          JsonExchange.error(
              "token", "send the token printed at start in the " + TOKEN_HEADER + " header"));
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
    ObjectNode node = JsonExchange.object();
    Optional<SmarthostSettings> settings;
    try {
      settings = resolver.resolve();
    } catch (SmarthostConfigurationException e) {
      node.put("enabled", false);
      node.put("problem", e.getMessage());
      node.put("version", versions.unreadable());
      return node;
    }
    node.put("version", versions.of(settings));
    node.put("enabled", settings.isPresent());
    settings.ifPresent(
        s -> {
          node.put("host", s.host());
          node.put("port", s.port());
          node.put("encryption", s.encryption().configValue());
          node.put("verifyTls", s.verifyTls());
          node.put("username", s.username().orElse(""));
          node.put("passwordSet", s.password().isPresent());
          node.put("authentication", s.authentication().name().toLowerCase(java.util.Locale.ROOT));
          node.put("oauth2ClientSecretSet", s.oauth2Client().isPresent());
          s.oauth2Client()
              .ifPresent(
                  c -> {
                    node.put("oauth2TokenUrl", c.tokenEndpoint().toString());
                    node.put("oauth2ClientId", c.clientId());
                    node.put("oauth2Scope", c.scope().orElse(""));
                  });
        });
    return node;
  }

  private void saveSettings(HttpExchange exchange) throws IOException {
    String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
    if (ifMatch == null) {
      JsonExchange.send(
          exchange,
          428,
          JsonExchange.error(
              "version", "send the ETag of GET /api/settings in If-Match (or * to overwrite)"));
      return;
    }
    if (!versionMatches(ifMatch)) {
      JsonExchange.send(exchange, 409, stale());
      return;
    }
    JsonNode body = JsonExchange.body(exchange, MAX_BODY);
    if (body == null) {
      return;
    }
    SmarthostSettings settings;
    try {
      settings = SettingsForm.parse(body, resolver, instances, relayPort);
    } catch (SettingsForm.InvalidForm e) {
      JsonExchange.send(exchange, e.status(), JsonExchange.error(e.field, e.getMessage()));
      return;
    } catch (SmarthostConfigurationException e) {
      JsonExchange.send(exchange, 422, JsonExchange.error("mailInstance", e.problem()));
      return;
    }
    if (!smtpHostAllowed(settings.host())) {
      JsonExchange.send(exchange, 422, notAllowed());
      return;
    }
    if (!checks.admit(exchange)) {
      return;
    }
    SmarthostSettingsService.Outcome outcome;
    try {
      outcome =
          new SmarthostSettingsService(validator, saves.basedOn(ifMatch))
              .apply(settings, body.path("force").asBoolean(false));
    } catch (VersionedStore.StaleWrite e) {
      JsonExchange.send(exchange, 409, stale());
      return;
    }
    ObjectNode result = report(outcome.validation());
    result.put("saved", outcome.saved());
    SettingsForm.pageField(outcome.validation()).ifPresent(f -> result.put("field", f));
    if (outcome.saved()) {
      String version = currentSettings().path("version").asText();
      result.put("version", version);
      exchange.getResponseHeaders().set("ETag", version);
    }
    JsonExchange.send(exchange, outcome.saved() ? 200 : 422, result);
  }

  /**
   * Limits the SMTP hosts the page may save and detect (the administrator's choice: {@code serve
   * --allowed-smtp-host}); without a list, any host.
   */
  public void allowSmtpHosts(java.util.Collection<String> hosts) {
    Set<String> normalized = new java.util.HashSet<>();
    for (String h : hosts) {
      normalized.add(SmarthostSettings.normalizeHost(h).toLowerCase(Locale.ROOT));
    }
    this.smtpHosts = Set.copyOf(normalized);
  }

  boolean smtpHostAllowed(String host) {
    Set<String> allowed = smtpHosts;
    if (allowed.isEmpty()) {
      return true;
    }
    try {
      return allowed.contains(SmarthostSettings.normalizeHost(host).toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false; // not a host name at all
    }
  }

  static ObjectNode notAllowed() {
    return JsonExchange.error(
        "host", "host: this page may check only the hosts given with --allowed-smtp-host");
  }

  private boolean versionMatches(String ifMatch) {
    return VersionedStore.matches(ifMatch, currentSettings().path("version").asText());
  }

  private static ObjectNode stale() {
    return JsonExchange.error(
        "version", "the settings were changed since this page loaded them; reload, then save");
  }

  private void testMessage(HttpExchange exchange) throws IOException {
    JsonNode body = JsonExchange.body(exchange, MAX_BODY);
    if (body == null) {
      return;
    }
    TestMessage message;
    Optional<SmarthostSettings> settings;
    try {
      message = TestMessage.of(body.path("from").asText(""), body.path("to").asText(""));
      settings = resolver.resolve();
    } catch (IllegalArgumentException e) {
      JsonExchange.send(exchange, 400, JsonExchange.error("testMessage", e.getMessage()));
      return;
    }
    if (settings.isEmpty()) {
      JsonExchange.send(
          exchange,
          409,
          JsonExchange.error("enabled", "e-mail is switched off; save settings first"));
      return;
    }
    if (!checks.admit(exchange)) {
      return;
    }
    ValidationResult result = validator.validate(settings.get(), message);
    ObjectNode report = report(result);
    SettingsForm.pageField(result).ifPresent(f -> report.put("field", f));
    JsonExchange.send(exchange, result.ok() ? 200 : 422, report);
  }

  private JsonNode mailInstances() {
    var list = JsonExchange.object().arrayNode();
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
    return Report.json(r);
  }
}
