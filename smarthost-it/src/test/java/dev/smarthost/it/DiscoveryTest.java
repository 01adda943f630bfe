package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.DiscoveryResult;
import dev.smarthost.core.check.DiscoveryResult.Candidate;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.SmarthostServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code discover} against real local servers, one per encryption, and a closed port. */
@Timeout(60)
class DiscoveryTest {
  private static final String PASSWORD = "s3cret-Pässwörd";

  /** One trust store with each server's CA: the servers' own certificates stay verified. */
  private static SmtpOptions trusting(SmarthostServer... servers) throws Exception {
    KeyStore all = KeyStore.getInstance("PKCS12");
    all.load(null, null);
    int n = 0;
    for (SmarthostServer s : servers) {
      KeyStore one = s.trustStore();
      for (String alias : java.util.Collections.list(one.aliases())) {
        all.setCertificateEntry("ca-" + n++, one.getCertificate(alias));
      }
    }
    return SmtpOptions.builder().trustStore(all).build();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String summary(DiscoveryResult r) {
    return r.candidates().stream().map(Candidate::toString).collect(Collectors.joining(", "));
  }

  @Test
  void recommendsImplicitTlsWithLoginOverStarttlsOverClearText() throws Exception {
    try (SmarthostServer starttls =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireAuth("app", PASSWORD)
                .start();
        SmarthostServer tls =
            SmarthostServer.builder()
                .encryption(Encryption.TLS)
                .requireAuth("app", PASSWORD)
                .start();
        SmarthostServer clear = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      int closed = closedPort();
      DiscoveryResult r =
          SmtpConnectionValidator.create(trusting(starttls, tls, clear))
              .discover(
                  "localhost",
                  List.of(clear.port(), starttls.port(), tls.port(), closed),
                  "app",
                  PASSWORD);
      SmarthostSettings rec = r.recommended().orElseThrow(() -> new AssertionError(summary(r)));
      assertThat(rec.port()).as(summary(r)).isEqualTo(tls.port());
      assertThat(rec.encryption()).isEqualTo(Encryption.TLS);
      assertThat(rec.verifyTls()).isTrue();
      assertThat(rec.username()).hasValue("app");

      assertThat(summary(r).replaceAll(" \\(\\d+ ms\\)", ""))
          .as("port/encryption verdicts in the order of the ports given")
          .isEqualTo(
              String.join(
                  ", ",
                  clear.port() + "/starttls STARTTLS_NOT_OFFERED",
                  clear.port() + "/none ok",
                  starttls.port() + "/starttls ok",
                  tls.port() + "/starttls SERVER_EXPECTS_TLS",
                  tls.port() + "/tls ok",
                  closed + "/starttls CONNECTION_REFUSED"));
      Candidate clearText = r.candidates().get(1);
      assertThat(clearText.authenticated()).as("no password in clear text").isFalse();
      assertThat(r.candidates().get(2).authenticated()).isTrue();
      assertThat(r.candidates())
          .filteredOn(c -> !c.ok())
          .as("a candidate that never got to AUTH did not log in")
          .allSatisfy(c -> assertThat(c.authenticated()).isFalse());
      assertThat(r.total()).isLessThan(SmtpConnectionValidator.DEFAULT_DEADLINE);
      assertThat(r.toString()).doesNotContain(PASSWORD);
    }
  }

  @Test
  void clearTextIsRecommendedOnlyWithoutTheLoginWhenNothingEncryptedWorks() throws Exception {
    try (SmarthostServer clear = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      DiscoveryResult r =
          SmtpConnectionValidator.create(SmtpOptions.defaults())
              .discover("localhost", List.of(clear.port()), "app", PASSWORD);
      SmarthostSettings rec = r.recommended().orElseThrow(() -> new AssertionError(summary(r)));
      assertThat(rec.encryption()).isEqualTo(Encryption.NONE);
      assertThat(rec.hasCredentials()).isFalse();
    }
  }

  @Test
  void anUntrustedCertificateIsReportedNotRecommended() throws Exception {
    try (SmarthostServer tls =
        SmarthostServer.builder().encryption(Encryption.TLS).requireAuth("app", PASSWORD).start()) {
      // the JDK's default trust store does not know the testkit's CA
      DiscoveryResult r =
          SmtpConnectionValidator.create(SmtpOptions.defaults())
              .withDeadline(Duration.ofSeconds(15))
              .discover("localhost", List.of(tls.port()), "app", PASSWORD);
      assertThat(r.recommended()).isEmpty();
      Candidate last = r.candidates().get(r.candidates().size() - 1);
      assertThat(last.encryption()).as(summary(r)).isEqualTo(Encryption.TLS);
      assertThat(last.failure().orElseThrow().kind()).isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED);
      assertThat(last.failure().orElseThrow().hint()).contains("trust store");
      assertThat(r.candidates()).noneMatch(Candidate::authenticated);
    }
  }

  @Test
  void badPortsAreRefusedNamingTheArgument() {
    SmtpConnectionValidator v = SmtpConnectionValidator.create(SmtpOptions.defaults());
    assertThatThrownBy(() -> v.discover("localhost", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ports: ");
    assertThatThrownBy(() -> v.discover("localhost", List.of(587, 70000)))
        .hasMessage("ports: each must be 1–65535, but was 70000");
    assertThatThrownBy(() -> v.discover("bad host", List.of(587)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("host: ");
  }
}
