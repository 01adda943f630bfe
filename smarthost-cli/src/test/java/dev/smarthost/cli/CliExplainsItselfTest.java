package dev.smarthost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smarthost.Encryption;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.SmarthostServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Newcomer review: the command line lists every command, each command's help has examples and exit
 * codes, hints name the command line's own options, and a refused certificate is shown.
 */
@Timeout(60)
class CliExplainsItselfTest {
  private static final List<String> COMMANDS =
      List.of("check", "discover", "outbox", "send-test", "demo", "serve");

  @TempDir Path dir;

  @Test
  void withoutACommandEveryCommandIsNamed() {
    CliRun r = CliRun.of();
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("choose a command: " + String.join(", ", COMMANDS));
    CliRun help = CliRun.of("--help");
    assertThat(help.exit).isZero();
    assertThat(help.out).contains("Exit codes:", "Examples:");
    for (String command : COMMANDS) {
      assertThat(help.out).contains("  " + command + " ");
    }
  }

  @Test
  void everyCommandsHelpHasExamplesAndExitCodes() {
    for (String command : COMMANDS) {
      CliRun r = CliRun.of(command, "--help");
      assertThat(r.exit).as(command).isZero();
      assertThat(r.out)
          .as(command)
          .contains("Examples:", "  smarthost " + command, "Exit codes:", "  0 ", "  1 ", "  2 ");
    }
  }

  @Test
  void anUntrustedCertificateHintNamesTrustStoreAndAPemFileIsOne() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().start()) {
      CliRun untrusted = check(server, "--json");
      assertThat(untrusted.exit).isEqualTo(1);
      JsonNode json = new ObjectMapper().readTree(untrusted.out);
      assertThat(json.at("/failure/kind").asText()).isEqualTo("CERTIFICATE_UNTRUSTED");
      assertThat(json.at("/failure/hint").asText()).contains("--trust-store FILE");

      Path ca = server.writeCaCertificate(dir.resolve("ca.pem"));
      CliRun trusted = check(server, "--trust-store", ca.toString());
      assertThat(trusted.exit).as(trusted.out + trusted.err).isZero();
    }
  }

  @Test
  void aNameMismatchShowsTheNamesTheCertificateHas() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", "name-mismatch-secret")
            .start()) {
      server.fault(Fault.TLS_CERT_WRONG_NAME);
      Path ca = server.writeCaCertificate(dir.resolve("ca.pem"));
      Path password = java.nio.file.Files.writeString(dir.resolve("pw"), "name-mismatch-secret\n");
      CliRun r =
          check(
              server,
              "--encryption",
              "starttls",
              "--username",
              "app",
              "--password-file",
              password.toString(),
              "--trust-store",
              ca.toString(),
              "--json");
      assertThat(r.exit).isEqualTo(1);
      JsonNode json = new ObjectMapper().readTree(r.out);
      assertThat(json.at("/failure/kind").asText()).isEqualTo("CERTIFICATE_NAME_MISMATCH");
      assertThat(json.at("/failure/hint").asText()).contains("--no-verify-tls");
      assertThat(json.at("/tls/peerAlternativeNames").toString()).contains("wrong-name.invalid");
      // one check and one second look at the certificate; nothing was sent
      assertThat(server.connectionCount()).isEqualTo(2);
      assertThat(server.receivedMessages()).isEmpty();
      CliRun text = check(server, "--trust-store", ca.toString());
      assertThat(text.out).contains("wrong-name.invalid");
    }
  }

  private static CliRun check(SmarthostServer server, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("check", "--host", "localhost", "--port", Integer.toString(server.port())));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }
}
