package dev.smarthost.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smarthost.Encryption;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.core.settings.EnvFileSmarthostStore;
import dev.smarthost.core.settings.FileMailInstanceDirectory;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Messages;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SettingsServerTest {
  static final String TOKEN = "test-token-0123456789";
  static final String PASSWORD = "s3cret-Pässwörd";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  SmarthostServer smtp;
  SettingsServer page;
  Path env;
  HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    smtp =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", PASSWORD)
            .start();
    env = dir.resolve("smarthost.env");
    Path instances = dir.resolve("instances.properties");
    Files.writeString(instances, "mail1.host=127.0.0.1\nmail1.port=10587\n");
    page =
        new SettingsServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            java.util.List.of(),
            TOKEN,
            EnvFileSmarthostResolver.builder(env).optional(true).build(),
            EnvFileSmarthostStore.of(env),
            SmtpConnectionValidator.create(smtp.smtpOptions()).withDeadline(Duration.ofSeconds(5)),
            FileMailInstanceDirectory.of(instances));
  }

  @AfterEach
  void stop() {
    page.close();
    smtp.close();
  }

  /** As the page does: a PUT carries the ETag of the settings it replaces. */
  HttpResponse<String> call(String method, String path, String body, String token)
      throws Exception {
    if (method.equals("PUT")) {
      return call(method, path, body, token, version());
    }
    return call(method, path, body, token, null);
  }

  String version() throws Exception {
    return call("GET", "/api/settings", null, null, null)
        .headers()
        .firstValue("ETag")
        .orElseThrow();
  }

  HttpResponse<String> call(String method, String path, String body, String token, String ifMatch)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + page.port() + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header(SettingsServer.TOKEN_HEADER, token);
    }
    if (ifMatch != null) {
      b.header("If-Match", ifMatch);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String form(String password) {
    return "{\"host\":\"localhost\",\"port\":"
        + smtp.port()
        + ",\"encryption\":\"starttls\",\"verifyTls\":true,"
        + "\"username\":\"app\",\"password\":"
        + (password == null ? "null" : "\"" + password + "\"")
        + "}";
  }

  JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  @Test
  void servesThePageWithAStrictPolicy() throws Exception {
    HttpResponse<String> r = call("GET", "/", null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("<form id=\"form\"").contains("Use the Mail app instance");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
    assertThat(call("GET", "/nothing", null, null).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", "/api/settings", null, TOKEN).statusCode()).isEqualTo(405);
  }

  @Test
  void detectRecommendsWhatWorksAndUsesTheStoredPasswordOnlyForTheStoredLogin() throws Exception {
    String detect =
        "{\"host\":\"localhost\",\"ports\":["
            + smtp.port()
            + "],\"username\":\"app\",\"password\":";
    assertThat(call("POST", "/api/discover", detect + "\"" + PASSWORD + "\"}", null).statusCode())
        .isEqualTo(401);
    HttpResponse<String> found =
        call("POST", "/api/discover", detect + "\"" + PASSWORD + "\"}", TOKEN);
    assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
    JsonNode rec = json(found).get("recommended");
    assertThat(rec.get("port").asInt()).isEqualTo(smtp.port());
    assertThat(rec.get("encryption").asText()).isEqualTo("starttls");
    assertThat(json(found).get("candidates").get(0).get("authenticated").asBoolean()).isTrue();
    assertThat(found.body()).doesNotContain(PASSWORD);

    // nothing stored yet: an empty password cannot stand for the stored one
    HttpResponse<String> noPassword = call("POST", "/api/discover", detect + "\"\"}", TOKEN);
    assertThat(noPassword.statusCode()).isEqualTo(422);
    assertThat(json(noPassword).get("field").asText()).isEqualTo("credentials");
    assertThat(call("PUT", "/api/settings", form(PASSWORD), TOKEN).statusCode()).isEqualTo(200);
    HttpResponse<String> stored = call("POST", "/api/discover", detect + "\"\"}", TOKEN);
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(json(stored).get("candidates").get(0).get("authenticated").asBoolean()).isTrue();
    assertThat(stored.body()).doesNotContain(PASSWORD);
    // another port of the stored host: not lent either (as saving would not)
    HttpResponse<String> otherPort =
        call(
            "POST",
            "/api/discover",
            detect.replace("[" + smtp.port(), "[" + smtp.port() + ",2525") + "\"\"}",
            TOKEN);
    assertThat(otherPort.statusCode()).as(otherPort.body()).isEqualTo(422);
    assertThat(json(otherPort).get("field").asText()).isEqualTo("credentials");
    // another user: the stored password is not lent to it
    assertThat(
            call("POST", "/api/discover", detect.replace("\"app\"", "\"other\"") + "\"\"}", TOKEN)
                .statusCode())
        .isEqualTo(422);

    HttpResponse<String> badPorts =
        call("POST", "/api/discover", "{\"host\":\"localhost\",\"ports\":[0]}", TOKEN);
    assertThat(badPorts.statusCode()).isEqualTo(400);
    assertThat(json(badPorts).get("field").asText()).isEqualTo("port");
    assertThat(json(badPorts).get("hint").asText())
        .isEqualTo("ports: each must be 1–65535, but was 0");
    assertThat(
            json(call("POST", "/api/discover", "{\"host\":\"a b\",\"ports\":[25]}", TOKEN))
                .get("field")
                .asText())
        .isEqualTo("host");
    HttpResponse<String> badUser =
        call(
            "POST",
            "/api/discover",
            "{\"host\":\"localhost\",\"ports\":[25],\"username\":\"a\\u0007b\",\"password\":\"x\"}",
            TOKEN);
    assertThat(badUser.statusCode()).isEqualTo(400);
    assertThat(json(badUser).get("field").asText()).isEqualTo("credentials");
    assertThat(call("GET", "/api/discover", null, TOKEN).statusCode()).isEqualTo(405);
  }

  @Test
  void writesNeedTheTokenAndBoundedJson() throws Exception {
    assertThat(call("PUT", "/api/settings", form(PASSWORD), null).statusCode()).isEqualTo(401);
    assertThat(call("PUT", "/api/settings", form(PASSWORD), "wrong").statusCode()).isEqualTo(401);
    assertThat(call("POST", "/api/test-message", "{}", null).statusCode()).isEqualTo(401);
    assertThat(call("PUT", "/api/settings", "x".repeat(20_000), TOKEN).statusCode()).isEqualTo(413);
    assertThat(call("PUT", "/api/settings", "not json", TOKEN).statusCode()).isEqualTo(400);
    HttpResponse<String> badPort =
        call(
            "PUT",
            "/api/settings",
            form(PASSWORD).replace("\"port\":" + smtp.port(), "\"port\":\"x\""),
            TOKEN);
    assertThat(badPort.statusCode()).isEqualTo(400);
    assertThat(json(badPort).get("field").asText()).isEqualTo("port");
    assertThat(env).doesNotExist();
  }

  @Test
  void validatesThenSavesAndNeverReturnsThePassword() throws Exception {
    HttpResponse<String> wrong = call("PUT", "/api/settings", form("wrong"), TOKEN);
    assertThat(wrong.statusCode()).isEqualTo(422);
    assertThat(json(wrong).get("field").asText()).isEqualTo("credentials");
    assertThat(json(wrong).get("failure").get("kind").asText()).isEqualTo("AUTHENTICATION_FAILED");
    assertThat(json(wrong).get("failure").get("hint").asText()).contains("username or password");
    assertThat(env).doesNotExist();

    HttpResponse<String> good = call("PUT", "/api/settings", form(PASSWORD), TOKEN);
    assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
    assertThat(json(good).get("saved").asBoolean()).isTrue();
    assertThat(json(good).get("phases").size()).isGreaterThanOrEqualTo(5);
    assertThat(EnvFileSmarthostResolver.of(env).resolve()).contains(smtp.settings());

    HttpResponse<String> read = call("GET", "/api/settings", null, null);
    assertThat(json(read).get("passwordSet").asBoolean()).isTrue();
    assertThat(json(read).has("password")).isFalse();
    assertThat(read.body()).doesNotContain(PASSWORD);
    assertThat(good.body() + wrong.body()).doesNotContain(PASSWORD);

    // Saving again without a password keeps the stored one.
    assertThat(call("PUT", "/api/settings", form(null), TOKEN).statusCode()).isEqualTo(200);
    assertThat(EnvFileSmarthostResolver.of(env).resolve()).contains(smtp.settings());
  }

  @Test
  void aSavedChangeReachesARunningMailer() throws Exception {
    try (SmarthostServer old = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      old.writeEnvFile(env);
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(EnvFileSmarthostResolver.of(env))
              .options(smtp.smtpOptions())
              .build()) {
        mailer.send(message("before"));
        assertThat(call("PUT", "/api/settings", form(PASSWORD), TOKEN).statusCode()).isEqualTo(200);
        mailer.send(message("after"));
      }
      assertThat(old.awaitMessages(1, Duration.ofSeconds(5)).get(0).subject()).contains("before");
      assertThat(smtp.awaitMessages(1, Duration.ofSeconds(5)).get(0).subject()).contains("after");
    }
  }

  @Test
  void testMessageAndMailInstances() throws Exception {
    assertThat(
            call(
                    "POST",
                    "/api/test-message",
                    "{\"from\":\"a@example.org\",\"to\":\"b@example.org\"}",
                    TOKEN)
                .statusCode())
        .isEqualTo(409); // nothing saved yet
    call("PUT", "/api/settings", form(PASSWORD), TOKEN);
    assertThat(
            call(
                    "POST",
                    "/api/test-message",
                    "{\"from\":\"a@example.org\",\"to\":\"b@example.org\"}",
                    TOKEN)
                .statusCode())
        .isEqualTo(200);
    smtp.fault(Fault.reject(Fault.Step.RCPT, 554, "5.7.1 Relay access denied"));
    HttpResponse<String> refused =
        call(
            "POST",
            "/api/test-message",
            "{\"from\":\"a@example.org\",\"to\":\"b@example.org\"}",
            TOKEN);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(json(refused).get("field").asText()).isEqualTo("test_message");
    assertThat(
            call(
                    "POST",
                    "/api/test-message",
                    "{\"from\":\"nobody\",\"to\":\"b@example.org\"}",
                    TOKEN)
                .statusCode())
        .isEqualTo(400);

    // "Nothing relays there" on a port this test bound and closed: port 25 may be a real MTA's
    int closed;
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = probe.getLocalPort();
    }
    page.relayPort(closed);
    JsonNode instances = json(call("GET", "/api/mail-instances", null, null));
    assertThat(instances.get(0).get("id").asText()).isEqualTo("mail1");
    HttpResponse<String> relay =
        call("PUT", "/api/settings", "{\"mailInstance\":\"mail1\"}", TOKEN);
    assertThat(relay.statusCode()).isEqualTo(422);
    assertThat(json(relay).get("failure").get("kind").asText())
        .isIn("CONNECTION_REFUSED", "CONNECT_TIMEOUT");
  }

  /** Security review, item 10: saves are ordered by version, never "last validation wins". */
  @Test
  void savesNeedTheCurrentVersionAndTheFirstToFinishWins() throws Exception {
    HttpResponse<String> none = call("PUT", "/api/settings", form(PASSWORD), TOKEN, null);
    assertThat(none.statusCode()).isEqualTo(428);
    assertThat(json(none).get("field").asText()).isEqualTo("version");
    assertThat(call("PUT", "/api/settings", form(PASSWORD), TOKEN, "\"other\"").statusCode())
        .isEqualTo(409);
    assertThat(env).doesNotExist();

    String base = version();
    try (SmarthostServer slow =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", PASSWORD)
            .start()) {
      slow.fault(Fault.slowGreeting(Duration.ofMillis(3000)));
      // Its CA is not trusted, so the check fails after the slow greeting; force saves anyway.
      String slowForm =
          form(PASSWORD)
              .replace("\"port\":" + smtp.port(), "\"port\":" + slow.port())
              .replace("}", ",\"force\":true}");
      var first =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                try {
                  return call("PUT", "/api/settings", slowForm, TOKEN, base);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      Thread.sleep(300); // the slow save is validating
      HttpResponse<String> second = call("PUT", "/api/settings", form(PASSWORD), TOKEN, base);
      assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
      HttpResponse<String> late = first.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(late.statusCode()).as(late.body()).isEqualTo(409);
      assertThat(EnvFileSmarthostResolver.of(env).resolve()).contains(smtp.settings());
      assertThat(second.headers().firstValue("ETag")).contains(version()).isNotEqualTo(base);
    }
    assertThat(call("PUT", "/api/settings", form(PASSWORD), TOKEN, "*").statusCode())
        .isEqualTo(200);
  }

  /** Security review, item 3: the stored password never goes to a server the form changed. */
  @Test
  void theStoredPasswordGoesOnlyToTheServerItWasSavedFor() throws Exception {
    assertThat(call("PUT", "/api/settings", form(PASSWORD), TOKEN).statusCode()).isEqualTo(200);
    try (SmarthostServer attacker = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      String[] forms = {
        "{\"host\":\"127.0.0.1\",\"port\":"
            + attacker.port()
            + ",\"encryption\":\"none\",\"username\":\"app\"}",
        form(null).replace("\"port\":" + smtp.port(), "\"port\":" + attacker.port()),
        form(null).replace("\"encryption\":\"starttls\"", "\"encryption\":\"tls\""),
        form(null).replace("\"username\":\"app\"", "\"username\":\"admin\""),
        // the same server with certificate verification switched off: the password again
        form(null).replace("\"verifyTls\":true", "\"verifyTls\":false")
      };
      for (String f : forms) {
        HttpResponse<String> r = call("PUT", "/api/settings", f, TOKEN);
        assertThat(r.statusCode()).as(f).isEqualTo(422);
        assertThat(json(r).get("field").asText()).isEqualTo("credentials");
        assertThat(json(r).get("hint").asText()).contains("enter it again");
      }
      assertThat(attacker.connectionCount()).isZero();
    }
    assertThat(EnvFileSmarthostResolver.of(env).resolve()).contains(smtp.settings());
    // Unchanged host, port, encryption and user: the stored password is kept.
    assertThat(call("PUT", "/api/settings", form(null), TOKEN).statusCode()).isEqualTo(200);
  }

  /** Security round 3, item 5: an administrator can keep the page to the smarthost's own host. */
  @Test
  void anAllowListKeepsChecksToTheGivenHosts() throws Exception {
    page.allowSmtpHosts(java.util.List.of("LOCALHOST"));
    String elsewhere = form(PASSWORD).replace("\"host\":\"localhost\"", "\"host\":\"127.0.0.1\"");
    HttpResponse<String> refused = call("PUT", "/api/settings", elsewhere, TOKEN);
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(json(refused).get("field").asText()).isEqualTo("host");
    HttpResponse<String> detect =
        call("POST", "/api/discover", "{\"host\":\"127.0.0.1\",\"ports\":[25]}", TOKEN);
    assertThat(detect.statusCode()).isEqualTo(422);
    assertThat(json(detect).get("hint").asText()).contains("--allowed-smtp-host");
    assertThat(call("PUT", "/api/settings", form(PASSWORD), TOKEN).statusCode()).isEqualTo(200);
  }

  /** Security round 3, item 5: the page is no fast port scanner, even with the token. */
  @Test
  void checksAreLimitedToTenAMinute() throws Exception {
    int closed;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort(); // bound by this test, then closed: nothing listens there
    }
    String detect = "{\"host\":\"127.0.0.1\",\"ports\":[" + closed + "]}";
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = call("POST", "/api/discover", detect, TOKEN);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(422); // checked: nothing listens
    }
    HttpResponse<String> limited = call("POST", "/api/discover", detect, TOKEN);
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(json(limited).get("field").asText()).isEqualTo("rate");
    assertThat(limited.headers().firstValue("Retry-After"))
        .hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 60));
    assertThat(call("PUT", "/api/settings", form(PASSWORD), TOKEN).statusCode()).isEqualTo(429);
    assertThat(call("GET", "/api/settings", null, null).statusCode()).isEqualTo(200);
  }

  /** Security review, item 3: credentials over encryption=none are allowed, never silently. */
  @Test
  void credentialsWithoutEncryptionCarryAWarning() throws Exception {
    try (SmarthostServer relay =
        SmarthostServer.builder()
            .encryption(Encryption.NONE)
            .requireAuth("app", PASSWORD)
            .start()) {
      String f =
          form(PASSWORD)
              .replace("\"port\":" + smtp.port(), "\"port\":" + relay.port())
              .replace("\"encryption\":\"starttls\"", "\"encryption\":\"none\"");
      HttpResponse<String> r = call("PUT", "/api/settings", f, TOKEN);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r).get("warnings").get(0).asText()).contains("clear text");
    }
    assertThat(json(call("PUT", "/api/settings", form(PASSWORD), TOKEN)).get("warnings")).isEmpty();
  }

  /** Security review, item 4: DNS rebinding gets nothing; the Host header is never echoed. */
  @Test
  void onlyTheListenAddressIsAcceptedAsHost() throws Exception {
    String evil = rawRequest("GET /api/settings HTTP/1.1\r\nHost: evil.example:" + page.port());
    assertThat(evil).startsWith("HTTP/1.1 421").doesNotContain("evil.example");
    assertThat(rawRequest("GET /api/settings HTTP/1.1\r\nHost: 127.0.0.1"))
        .startsWith("HTTP/1.1 421");
    assertThat(rawRequest("GET /api/settings HTTP/1.1")).startsWith("HTTP/1.1 4");
    for (String host : new String[] {"127.0.0.1", "localhost", "LOCALHOST"}) {
      assertThat(rawRequest("GET /api/settings HTTP/1.1\r\nHost: " + host + ":" + page.port()))
          .as(host)
          .startsWith("HTTP/1.1 200");
    }
  }

  /** Security review, item 2: 40 stalled clients neither block the page nor stay connected. */
  @Test
  @Timeout(90)
  void stalledClientsNeitherBlockThePageNorStay() throws Exception {
    java.util.List<java.net.Socket> stalled = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < 40; i++) {
        java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), page.port());
        String start =
            i % 2 == 0
                ? "GET /api/settings HTTP/1.1\r\nHost: 127.0.0.1:" + page.port() + "\r\n"
                : "PUT /api/settings HTTP/1.1\r\nHost: 127.0.0.1:"
                    + page.port()
                    + "\r\nIf-Match: *\r\n"
                    + SettingsServer.TOKEN_HEADER
                    + ": "
                    + TOKEN
                    + "\r\nContent-Length: 1000\r\n\r\n{\"host\":";
        s.getOutputStream().write(start.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        stalled.add(s);
      }
      long t0 = System.nanoTime();
      HttpResponse<String> r = call("GET", "/api/settings", null, null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));

      // Each stalled connection is closed by the server once its request took too long.
      long limit = SettingsServer.MAX_REQUEST_TIME.plusSeconds(10).toMillis();
      for (java.net.Socket s : stalled) {
        s.setSoTimeout((int) limit);
        long waited = System.nanoTime();
        int read;
        try {
          read = s.getInputStream().read();
          while (read >= 0) {
            read = s.getInputStream().read(); // a 4xx answer is fine too, then the close
          }
        } catch (java.net.SocketException e) {
          read = -1; // reset by the server: closed as well
        }
        assertThat(read).isEqualTo(-1);
        limit = Math.max(1000, limit - (System.nanoTime() - waited) / 1_000_000);
      }
    } finally {
      for (java.net.Socket s : stalled) {
        s.close();
      }
    }
    assertThat(call("GET", "/api/settings", null, null).statusCode()).isEqualTo(200);
  }

  /**
   * Security review round 3, item 6: 600 stalled clients (headers never finished) hold sockets, not
   * threads; a GET still answers within a second, and one address keeps at most {@link
   * HttpFront#PER_CLIENT} connections open (its oldest unfinished ones are closed first).
   */
  @Test
  @Timeout(120)
  void sixHundredStalledClientsNeitherDelayAGetNorStayOpen() throws Exception {
    java.util.List<java.net.Socket> stalled = new java.util.ArrayList<>();
    try {
      byte[] start =
          ("GET /api/settings HTTP/1.1\r\nHost: 127.0.0.1:" + page.port() + "\r\n")
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      for (int i = 0; i < 600; i++) {
        java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), page.port());
        s.getOutputStream().write(start);
        s.getOutputStream().flush();
        stalled.add(s);
      }
      for (int i = 0; i < 3; i++) {
        long t0 = System.nanoTime();
        HttpResponse<String> r = call("GET", "/api/settings", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
      }
      // The server closed all but the newest few of them; give it a moment to get there.
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      int open;
      do {
        open = 0;
        for (java.net.Socket s : stalled) {
          if (!closedByServer(s)) {
            open++;
          }
        }
      } while (open > HttpFront.PER_CLIENT && System.nanoTime() < until);
      assertThat(open).isLessThanOrEqualTo(HttpFront.PER_CLIENT);
    } finally {
      for (java.net.Socket s : stalled) {
        s.close();
      }
    }
  }

  private static boolean closedByServer(java.net.Socket s) throws java.io.IOException {
    if (s.isClosed()) {
      return true;
    }
    s.setSoTimeout(1);
    try {
      if (s.getInputStream().read() < 0) {
        s.close();
        return true;
      }
      return false; // an answer started: the server has it in hand
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException e) {
      s.close(); // reset by the server
      return true;
    }
  }

  private String rawRequest(String head) throws Exception {
    try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), page.port())) {
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              (head + "\r\nConnection: close\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static MimeMessage message(String subject) throws Exception {
    return Messages.to(Session.getInstance(new Properties()), subject, "admin@example.org");
  }
}
