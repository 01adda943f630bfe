package dev.smarthost.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.DiscoveryResult;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.interop.Postfix.Service;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What an administrator can get wrong against a real Postfix + Dovecot, each scenario checked the
 * way the settings page does (default timeouts and deadline: 30 s) and answered right within 10 s.
 * The table of kinds × scenarios is written to {@code target/scenario-table.md}.
 */
@Timeout(300)
@Tag("system-servers")
class ScenarioTableTest {
  static final String USER = "app";
  static final String PASSWORD = "s3cret-Pässwörd-密码";
  static final TestMessage TO_RELAYED = TestMessage.of("app@example.org", "admin@example.org");
  static final TestMessage ELSEWHERE = TestMessage.of("app@example.org", "admin@elsewhere.example");
  static Postfix postfix;

  @BeforeAll
  static void start() throws Exception {
    postfix = Postfix.start(USER, PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    postfix.close();
  }

  /** One row: what was entered, what the validator must answer. */
  record Scenario(
      String name,
      UnaryOperator<SmarthostSettings.Builder> settings,
      boolean testMessage,
      boolean trusted,
      FailureKind expected) {}

  static SmarthostSettings.Builder at(Service service, Encryption encryption) {
    return SmarthostSettings.builder()
        .host("localhost")
        .port(postfix.port(service))
        .encryption(encryption);
  }

  static List<Scenario> scenarios(int closedPort) {
    List<Scenario> s = new ArrayList<>();
    s.add(row("relay, none, test message", b -> at(Service.RELAY, Encryption.NONE), true, null));
    s.add(
        row(
            "submission, STARTTLS, login",
            b -> at(Service.SUBMISSION, Encryption.STARTTLS).credentials(USER, PASSWORD),
            true,
            null));
    s.add(
        row(
            "implicit TLS, login",
            b -> at(Service.SMTPS, Encryption.TLS).credentials(USER, PASSWORD),
            true,
            null));
    s.add(
        row(
            "implicit-TLS port with none",
            b -> at(Service.SMTPS, Encryption.NONE),
            false,
            FailureKind.SERVER_EXPECTS_TLS));
    s.add(
        row(
            "implicit-TLS port with STARTTLS, login",
            b -> at(Service.SMTPS, Encryption.STARTTLS).credentials(USER, PASSWORD),
            false,
            FailureKind.SERVER_EXPECTS_TLS));
    s.add(
        row(
            "STARTTLS port with implicit TLS",
            b -> at(Service.SUBMISSION, Encryption.TLS).credentials(USER, PASSWORD),
            false,
            FailureKind.SERVER_DOES_NOT_SPEAK_TLS));
    s.add(
        row(
            "certificate for another name",
            b -> at(Service.WRONG_NAME, Encryption.TLS).credentials(USER, PASSWORD),
            false,
            FailureKind.CERTIFICATE_NAME_MISMATCH));
    s.add(
        row(
            "self-signed certificate",
            b -> at(Service.SELF_SIGNED, Encryption.TLS).credentials(USER, PASSWORD),
            false,
            FailureKind.CERTIFICATE_UNTRUSTED));
    s.add(
        row(
            "expired certificate",
            b -> at(Service.EXPIRED, Encryption.TLS).credentials(USER, PASSWORD),
            false,
            FailureKind.CERTIFICATE_EXPIRED));
    s.add(
        new Scenario(
            "private CA not in the trust store",
            b -> at(Service.SUBMISSION, Encryption.STARTTLS).credentials(USER, PASSWORD),
            false,
            false,
            FailureKind.CERTIFICATE_UNTRUSTED));
    s.add(
        row(
            "relay port with STARTTLS",
            b -> at(Service.RELAY, Encryption.STARTTLS),
            false,
            FailureKind.STARTTLS_NOT_OFFERED));
    s.add(
        row(
            "login on the clear-text relay port",
            b -> at(Service.RELAY, Encryption.NONE).credentials(USER, PASSWORD),
            false,
            FailureKind.AUTH_NOT_OFFERED));
    s.add(
        row(
            "submission with none, login",
            b -> at(Service.SUBMISSION, Encryption.NONE).credentials(USER, PASSWORD),
            false,
            FailureKind.AUTH_NOT_OFFERED));
    s.add(
        row(
            "submission with none, no login",
            b -> at(Service.SUBMISSION, Encryption.NONE),
            false,
            FailureKind.ENCRYPTION_REQUIRED));
    s.add(
        row(
            "wrong password",
            b -> at(Service.SUBMISSION, Encryption.STARTTLS).credentials(USER, "wrong"),
            false,
            FailureKind.AUTHENTICATION_FAILED));
    s.add(
        row(
            "submission without login, test message",
            b -> at(Service.SUBMISSION, Encryption.STARTTLS),
            true,
            FailureKind.RECIPIENT_REJECTED));
    s.add(
        row(
            "relay denied, test message elsewhere",
            b -> at(Service.RELAY_DENIED, Encryption.NONE),
            true,
            FailureKind.RECIPIENT_REJECTED));
    s.add(
        row(
            "nothing listens",
            b -> at(Service.RELAY, Encryption.NONE).port(closedPort),
            false,
            FailureKind.CONNECTION_REFUSED));
    s.add(
        row(
            "host does not resolve",
            b -> SmarthostSettings.builder().host("no-such-host.invalid"),
            false,
            FailureKind.UNKNOWN_HOST));
    return s;
  }

  static Scenario row(
      String name,
      UnaryOperator<SmarthostSettings.Builder> settings,
      boolean testMessage,
      FailureKind expected) {
    return new Scenario(name, settings, testMessage, true, expected);
  }

  @Test
  void everyScenarioIsAnsweredRightWithin10Seconds() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    SmtpConnectionValidator trusted =
        SmtpConnectionValidator.create(
            SmtpOptions.builder().trustStore(postfix.trustStore()).build());
    SmtpConnectionValidator untrusted = SmtpConnectionValidator.create(SmtpOptions.defaults());
    StringBuilder table = new StringBuilder();
    table.append(
        "| Scenario | Expected | Answer | Reply (provider) | ms |\n|---|---|---|---|---:|\n");
    List<String> wrong = new ArrayList<>();
    for (Scenario s : scenarios(closed)) {
      SmarthostSettings settings = s.settings().apply(null).build();
      SmtpConnectionValidator v = s.trusted() ? trusted : untrusted;
      ValidationResult r =
          s.testMessage()
              ? v.validate(settings, s.name().endsWith("elsewhere") ? ELSEWHERE : TO_RELAYED)
              : v.validate(settings);
      FailureKind got = r.failure().map(f -> f.kind()).orElse(null);
      String answer = got == null ? "ok" : got.name();
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %s | %d |%n",
              s.name(),
              s.expected() == null ? "ok" : s.expected().name(),
              answer,
              r.failure()
                  .map(f -> f.reply().orElse("") + f.provider().map(p -> " (" + p + ")").orElse(""))
                  .orElse(""),
              r.total().toMillis()));
      if (got != s.expected() || r.total().compareTo(Duration.ofSeconds(10)) > 0) {
        wrong.add(s.name() + ": " + r + " / " + r.failure().map(f -> f.detail()).orElse(""));
      }
    }
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "scenario-table.md"), table);
    System.out.println(table);
    assertThat(wrong).as("%s", table).isEmpty();
  }

  @Test
  void discoverRecommendsTheEncryptedPortWithTheLogin() throws Exception {
    DiscoveryResult r =
        SmtpConnectionValidator.create(
                SmtpOptions.builder().trustStore(postfix.trustStore()).build())
            .discover(
                "localhost",
                List.of(
                    postfix.port(Service.RELAY),
                    postfix.port(Service.SUBMISSION),
                    postfix.port(Service.SMTPS)),
                USER,
                PASSWORD);
    SmarthostSettings rec = r.recommended().orElseThrow(() -> new AssertionError(r.toString()));
    assertThat(rec.port()).as("%s", r).isEqualTo(postfix.port(Service.SMTPS));
    assertThat(rec.encryption()).isEqualTo(Encryption.TLS);
    assertThat(rec.username()).hasValue(USER);
    assertThat(r.toString())
        .contains(postfix.port(Service.RELAY) + "/none ok")
        .contains(postfix.port(Service.SUBMISSION) + "/starttls ok")
        .contains(postfix.port(Service.SMTPS) + "/tls ok");
    assertThat(r.candidates())
        .filteredOn(c -> c.encryption() == Encryption.NONE)
        .allSatisfy(c -> assertThat(c.authenticated()).isFalse());
    assertThat(r.total()).isLessThan(Duration.ofSeconds(10));
  }
}
