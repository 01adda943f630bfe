package com.example.notify;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.smarthost.Encryption;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.testkit.SmarthostServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster switched to Microsoft 365 with OAuth 2.0: the application changes nothing but its
 * dependency on the Nimbus SDK (version from smarthost-bom); the env file carries the OAuth keys.
 */
class OAuth2NotifierTest {
  @TempDir Path dir;

  @Test
  void anEnvFileWithOAuth2KeysSendsWithXoauth2() throws Exception {
    String token = "eyJ.consumer-access-token.sig";
    HttpServer tokenEndpoint =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    tokenEndpoint.createContext(
        "/token",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          byte[] body =
              ("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    tokenEndpoint.start();
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireOAuth2("alerts@example.com", token::equals)
            .start()) {
      Path env = dir.resolve("smarthost.env");
      Files.writeString(
          env,
          String.join(
              "\n",
              "SMTP_ENABLED=1",
              "SMTP_HOST=localhost",
              "SMTP_PORT=" + server.port(),
              "SMTP_ENCRYPTION=starttls",
              "SMTP_TLSVERIFY=1",
              "SMTP_USERNAME=alerts@example.com",
              "SMTP_PASSWORD=",
              "SMTP_OAUTH2_TOKEN_URL=http://127.0.0.1:"
                  + tokenEndpoint.getAddress().getPort()
                  + "/token",
              "SMTP_OAUTH2_CLIENT_ID=consumer-app",
              "SMTP_OAUTH2_CLIENT_SECRET=consumer-Secret~Marker.8181",
              "SMTP_OAUTH2_SCOPE=https://outlook.office365.com/.default",
              ""));
      try (Notifier notifier =
          new Notifier(EnvFileSmarthostResolver.of(env), server.smtpOptions())) {
        notifier.alert("admin@example.com", "Disk almost full", "Only 2 % left on /var.");
      }
      assertThat(server)
          .received(1)
          .message(0)
          .hasSubject("Disk almost full")
          .wasEncrypted()
          .wasAuthenticatedAs("alerts@example.com");
    } finally {
      tokenEndpoint.stop(0);
    }
  }
}
