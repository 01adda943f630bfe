package dev.smarthost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.testkit.SmarthostServer;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smarthost check} with an OAuth 2.0 login: the token phase is printed, the secret is read
 * from a file or the environment and never printed. The token endpoint is a real HTTP server that
 * answers the client-credentials grant (the full OAuth flow against a real authorization server is
 * OAuth2Test in smarthost-it).
 */
@Timeout(60)
class CliOAuth2Test {
  static final String SECRET = "cli-Secret~Marker.4242";
  static final String TOKEN = "eyJ.cli-access-token.sig";

  @TempDir Path dir;
  TokenEndpoint tokenEndpoint;
  List<String> forms;

  @BeforeEach
  void startTokenEndpoint() throws Exception {
    tokenEndpoint = new TokenEndpoint(TOKEN);
    forms = tokenEndpoint.forms;
  }

  @AfterEach
  void stop() {
    tokenEndpoint.close();
  }

  /** Runs the command; nothing it prints may contain the test's secrets. */
  private static CliRun run(String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.out + r.err).doesNotContain(SECRET).doesNotContain(TOKEN);
    return r;
  }

  private String[] check(SmarthostServer server, String... more) throws Exception {
    Path trust = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(trust)) {
      server.trustStore().store(out, "changeit".toCharArray());
    }
    Path secret = dir.resolve("client-secret");
    Files.writeString(secret, SECRET + "\n", StandardCharsets.UTF_8);
    List<String> a =
        new java.util.ArrayList<>(
            List.of(
                "check",
                "--host",
                "localhost",
                "--port",
                Integer.toString(server.port()),
                "--encryption",
                "starttls",
                "--username",
                "box@contoso.com",
                "--oauth2-token-url",
                tokenEndpoint.url(),
                "--oauth2-client-id",
                "app-id",
                "--oauth2-client-secret-file",
                secret.toString(),
                "--oauth2-scope",
                "https://outlook.office365.com/.default",
                "--trust-store",
                trust.toString(),
                "--trust-store-password",
                "changeit",
                "--timeout",
                "10s"));
    a.addAll(List.of(more));
    return a.toArray(new String[0]);
  }

  @Test
  void checkShowsTheTokenPhaseAndLogsInWithXoauth2() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireOAuth2("box@contoso.com", TOKEN::equals)
            .start()) {
      CliRun r = run(check(server));
      assertThat(r.exit).as(r.out + r.err).isZero();
      assertThat(r.out).contains("  token ").contains("AUTH offered: XOAUTH2 OAUTHBEARER");
      assertThat(r.out.indexOf("  token ")).isLessThan(r.out.indexOf("  connect "));
      assertThat(forms).hasSize(1);
      assertThat(forms.get(0)).contains("grant_type=client_credentials", "client_id=app-id");

      CliRun json = run(check(server, "--json"));
      assertThat(json.exit).isZero();
      assertThat(json.out)
          .contains("{\"phase\":\"TOKEN\"")
          .contains("\"authentication\":\"oauth2\"");
    }
  }

  @Test
  void aRejectedTokenIsAnAuthenticationFailureWithTheOAuthHint() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireOAuth2("box@contoso.com", token -> false)
            .start()) {
      CliRun r = run(check(server));
      assertThat(r.exit).isEqualTo(1);
      assertThat(r.out + r.err).contains("AUTHENTICATION_FAILED").contains("access token");
    }
  }

  @Test
  void oauth2OptionsAreCheckedBeforeAnythingIsSent() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireOAuth2("box@contoso.com", TOKEN::equals)
            .start()) {
      CliRun argument = run(append(check(server), "--oauth2-client-secret", SECRET));
      assertThat(argument.exit).isEqualTo(2);
      assertThat(argument.err).contains("never pass a secret as an argument");

      CliRun both = run(append(check(server), "--microsoft365-tenant", "contoso.onmicrosoft.com"));
      assertThat(both.exit).isEqualTo(2);
      assertThat(both.err).contains("--oauth2-token-url and --microsoft365-tenant: use one");

      CliRun badTenant =
          run(
              "check",
              "--host",
              "localhost",
              "--username",
              "box@contoso.com",
              "--microsoft365-tenant",
              "contoso/../evil",
              "--oauth2-client-id",
              "app-id",
              "--oauth2-client-secret-env",
              "PATH");
      assertThat(badTenant.exit).isEqualTo(2);
      assertThat(badTenant.err)
          .contains("--microsoft365-tenant: must be a directory (tenant) id or a domain");

      CliRun plainHttp =
          run(
              check(server).clone()[0],
              "--host",
              "localhost",
              "--username",
              "box@contoso.com",
              "--oauth2-token-url",
              "http://login.example/token",
              "--oauth2-client-id",
              "app-id",
              "--oauth2-client-secret-env",
              "PATH");
      assertThat(plainHttp.exit).isEqualTo(2);
      assertThat(plainHttp.err).contains("--oauth2-token-url: must use https");
      assertThat(forms).isEmpty();
      assertThat(server.connectionCount()).isZero();
    }
  }

  private static String[] append(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
