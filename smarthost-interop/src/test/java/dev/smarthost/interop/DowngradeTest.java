package dev.smarthost.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmtpOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A man in the middle strips STARTTLS from a real Postfix' EHLO reply: the client must fail, and
 * the password must never cross the wire, in any encoding.
 */
@Timeout(60)
@Tag("system-servers")
class DowngradeTest {
  static final String PASSWORD = "Downgrade-Marker-Pässwörd-4711";
  static Postfix postfix;

  @BeforeAll
  static void start() throws Exception {
    postfix = Postfix.start("app", PASSWORD);
  }

  @AfterAll
  static void stop() throws Exception {
    postfix.close();
  }

  /** STARTTLS with credentials, to the real server through the man in the middle. */
  static SmarthostSettings behind(StarttlsStrippingProxy mitm) {
    return SmarthostSettings.builder()
        .host("localhost")
        .port(mitm.port())
        .encryption(Encryption.STARTTLS)
        .credentials("app", PASSWORD)
        .build();
  }

  static void assertNoSecret(String wire) {
    byte[] utf8 = PASSWORD.getBytes(StandardCharsets.UTF_8);
    String plain =
        Base64.getEncoder().encodeToString(("\0app\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    String login = Base64.getEncoder().encodeToString(utf8);
    assertThat(wire)
        .doesNotContain(new String(utf8, StandardCharsets.ISO_8859_1))
        .doesNotContain(plain)
        .doesNotContain(login)
        .doesNotContainIgnoringCase("AUTH ");
  }

  @Test
  void theValidatorRefusesAndSendsNoCredentials() throws Exception {
    try (StarttlsStrippingProxy mitm =
        new StarttlsStrippingProxy(postfix.port(Postfix.Service.SUBMISSION))) {
      SmarthostSettings s = behind(mitm);
      ValidationResult r =
          SmtpConnectionValidator.create(
                  SmtpOptions.builder().trustStore(postfix.trustStore()).build())
              .withDeadline(Duration.ofSeconds(20))
              .validate(s);
      assertThat(r.failure())
          .hasValueSatisfying(
              f -> assertThat(f.kind()).isEqualTo(FailureKind.STARTTLS_NOT_OFFERED));
      Thread.sleep(200);
      String wire = mitm.clientBytes();
      assertThat(wire).contains("EHLO ");
      assertNoSecret(wire);
    }
  }

  @Test
  void theMailerRefusesAndSendsNeitherCredentialsNorTheMessage() throws Exception {
    try (StarttlsStrippingProxy mitm =
        new StarttlsStrippingProxy(postfix.port(Postfix.Service.SUBMISSION))) {
      SmarthostSettings s = behind(mitm);
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(s))
              .options(SmtpOptions.builder().trustStore(postfix.trustStore()).build())
              .maxAttempts(1)
              .build()) {
        assertThatThrownBy(
                () -> mailer.send(PostfixInteropTest.message("must not leak", "admin@example.org")))
            .isInstanceOfSatisfying(
                SmarthostSendException.class,
                e -> assertThat(e.kind()).isEqualTo(FailureKind.STARTTLS_NOT_OFFERED));
      }
      Thread.sleep(200);
      String wire = mitm.clientBytes();
      assertNoSecret(wire);
      assertThat(wire).doesNotContain("must not leak").doesNotContain("MAIL FROM");
    }
  }
}
