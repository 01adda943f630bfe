package dev.smarthost.it;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.SmarthostServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Trusting a private CA is one call: {@code SmtpOptions.builder().trustCertificates(pem)}. */
@Timeout(60)
class TrustCertificatesTest {
  @TempDir Path dir;

  @Test
  void theServersOwnCaFromAPemFileIsTrustedAndVerified() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().start()) {
      Path ca = server.writeCaCertificate(dir.resolve("ca.pem"));
      org.assertj.core.api.Assertions.assertThat(Files.readString(ca))
          .startsWith("-----BEGIN CERTIFICATE-----\n")
          .endsWith("-----END CERTIFICATE-----\n");
      SmtpOptions options = SmtpOptions.builder().trustCertificates(ca).build();
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(server.settings())).options(options).build()) {
        mailer.send(MailerTest.message("trusted"));
      }
      assertThat(server).received(1).message(0).hasSubject("trusted").wasEncrypted();
    }
  }

  @Test
  void anotherCaIsNotTrusted() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().start();
        SmarthostServer other = SmarthostServer.builder().start()) {
      Path otherCa = other.writeCaCertificate(dir.resolve("other.pem"));
      SmtpOptions options = SmtpOptions.builder().trustCertificates(otherCa).build();
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(server.settings())).options(options).build()) {
        assertThatThrownBy(() -> mailer.send(MailerTest.message("untrusted")))
            .isInstanceOfSatisfying(
                SmarthostSendException.class,
                e ->
                    org.assertj.core.api.Assertions.assertThat(e.kind())
                        .isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED));
      }
    }
  }

  @Test
  void aMissingOrWrongFileIsNamed() throws Exception {
    Path missing = dir.resolve("missing.pem");
    assertThatThrownBy(() -> SmtpOptions.builder().trustCertificates(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trustCertificates: cannot read " + missing);
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> SmtpOptions.builder().trustCertificates(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(empty + " holds no certificate");
    Path garbage = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
    assertThatThrownBy(() -> SmtpOptions.builder().trustCertificates(garbage))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(garbage.toString());
  }
}
