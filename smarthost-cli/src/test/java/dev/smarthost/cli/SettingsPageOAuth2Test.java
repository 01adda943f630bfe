package dev.smarthost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smarthost.Authentication;
import dev.smarthost.Encryption;
import dev.smarthost.cli.web.SettingsServer;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.core.settings.EnvFileSmarthostStore;
import dev.smarthost.testkit.SmarthostServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings page's API with "Authentication: OAuth 2.0": the check fetches a token and logs in
 * with XOAUTH2 before saving, the env file gets the four OAuth keys, the client secret is never
 * sent back, and an empty secret keeps the stored one only for the same token endpoint and client.
 */
@Timeout(60)
class SettingsPageOAuth2Test {
  static final String PAGE_TOKEN = "test-token-0123456789";
  static final String SECRET = "page-Secret~Marker.5151";
  static final String ACCESS_TOKEN = "eyJ.page-access-token.sig";
  static final String MAILBOX = "box@contoso.com";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  SmarthostServer smtp;
  TokenEndpoint tokens;
  SettingsServer page;
  Path env;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    smtp =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireOAuth2(MAILBOX, ACCESS_TOKEN::equals)
            .start();
    tokens = new TokenEndpoint(ACCESS_TOKEN);
    env = dir.resolve("smarthost.env");
    page =
        new SettingsServer(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            java.util.List.of(),
            PAGE_TOKEN,
            EnvFileSmarthostResolver.builder(env).optional(true).build(),
            EnvFileSmarthostStore.of(env),
            SmtpConnectionValidator.create(smtp.smtpOptions()).withDeadline(Duration.ofSeconds(10)),
            null);
  }

  @AfterEach
  void stop() {
    page.close();
    tokens.close();
    smtp.close();
  }

  ObjectNode form(String secret) {
    ObjectNode f = JSON.createObjectNode();
    f.put("host", "localhost");
    f.put("port", smtp.port());
    f.put("encryption", "starttls");
    f.put("verifyTls", true);
    f.put("authentication", "oauth2");
    f.put("username", MAILBOX);
    f.put("oauth2TokenUrl", tokens.url());
    f.put("oauth2ClientId", "app-id");
    f.put("oauth2ClientSecret", secret);
    f.put("oauth2Scope", "https://outlook.office365.com/.default");
    return f;
  }

  HttpResponse<String> get() throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + page.port() + "/api/settings"))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> put(JsonNode body) throws Exception {
    String version = get().headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + page.port() + "/api/settings"))
                .timeout(Duration.ofSeconds(20))
                .header(SettingsServer.TOKEN_HEADER, PAGE_TOKEN)
                .header("If-Match", version)
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).doesNotContain(SECRET).doesNotContain(ACCESS_TOKEN);
    return r;
  }

  @Test
  void savesOAuth2AfterACheckThatFetchedATokenAndNeverSendsTheSecretBack() throws Exception {
    HttpResponse<String> saved = put(form(SECRET));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
    assertThat(saved.body()).contains("\"TOKEN\"").contains("\"AUTH\"");
    assertThat(tokens.forms).hasSize(1);
    assertThat(Files.readAllLines(env))
        .contains(
            "SMTP_USERNAME=" + MAILBOX,
            "SMTP_PASSWORD=",
            "SMTP_OAUTH2_TOKEN_URL=" + tokens.url(),
            "SMTP_OAUTH2_CLIENT_ID=app-id",
            "SMTP_OAUTH2_CLIENT_SECRET=" + SECRET,
            "SMTP_OAUTH2_SCOPE=https://outlook.office365.com/.default");
    assertThat(EnvFileSmarthostResolver.of(env).resolve().orElseThrow().authentication())
        .isEqualTo(Authentication.OAUTH2);

    HttpResponse<String> shown = get();
    assertThat(shown.body()).doesNotContain(SECRET);
    JsonNode s = JSON.readTree(shown.body());
    assertThat(s.get("authentication").asText()).isEqualTo("oauth2");
    assertThat(s.get("oauth2ClientSecretSet").asBoolean()).isTrue();
    assertThat(s.get("oauth2TokenUrl").asText()).isEqualTo(tokens.url());
    assertThat(s.get("passwordSet").asBoolean()).isFalse();
  }

  @Test
  void anEmptySecretKeepsTheStoredOneOnlyForTheSameEndpointAndClient() throws Exception {
    assertThat(put(form(SECRET)).statusCode()).isEqualTo(200);
    HttpResponse<String> same = put(form(""));
    assertThat(same.statusCode()).as(same.body()).isEqualTo(200);
    assertThat(Files.readString(env)).contains("SMTP_OAUTH2_CLIENT_SECRET=" + SECRET);

    ObjectNode elsewhere = form("");
    elsewhere.put("oauth2TokenUrl", "https://login.example/tenant/oauth2/v2.0/token");
    HttpResponse<String> refused = put(elsewhere);
    assertThat(refused.statusCode()).isEqualTo(422);
    JsonNode body = JSON.readTree(refused.body());
    assertThat(body.get("field").asText()).isEqualTo("credentials");
    assertThat(body.get("hint").asText()).contains("client secret: enter it again");

    ObjectNode otherClient = form("");
    otherClient.put("oauth2ClientId", "another-app");
    assertThat(put(otherClient).statusCode()).isEqualTo(422);
    assertThat(Files.readString(env)).contains("SMTP_OAUTH2_CLIENT_ID=app-id");

    // security round 3, item 3: another scope, or certificate verification switched off
    ObjectNode otherScope = form("");
    otherScope.put("oauth2Scope", "https://graph.example/.default");
    assertThat(put(otherScope).statusCode()).isEqualTo(422);
    ObjectNode unverified = form("");
    unverified.put("verifyTls", false);
    HttpResponse<String> off = put(unverified);
    assertThat(off.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(off.body()).get("hint").asText()).contains("verification");
  }

  @Test
  void aWrongOAuthFormIsRefusedNamingTheCredentials() throws Exception {
    ObjectNode plainHttp = form(SECRET);
    plainHttp.put("oauth2TokenUrl", "http://login.example/token");
    HttpResponse<String> r = put(plainHttp);
    assertThat(r.statusCode()).isEqualTo(422);
    assertThat(JSON.readTree(r.body()).get("field").asText()).isEqualTo("credentials");
    assertThat(r.body()).contains("must use https");

    ObjectNode noMailbox = form(SECRET);
    noMailbox.put("username", "");
    assertThat(put(noMailbox).statusCode()).isEqualTo(422);
    assertThat(env).doesNotExist();
    assertThat(tokens.forms).isEmpty();
  }
}
