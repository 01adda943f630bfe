package dev.smarthost.it;

import static dev.smarthost.testkit.Messages.simple;
import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.internal.SmarthostTransport;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The Session factory against real servers over real sockets. */
@Timeout(60)
class SessionFactoryEndToEndTest {

  private static Session session(SmarthostServer server, SmarthostSettings settings) {
    return new SmarthostSessionFactory(server.smtpOptions()).session(settings);
  }

  @Test
  void sendsInClearTextToAPlainServer() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      Transport.send(simple(server.session(), "plain"));
      assertThat(server)
          .received(1)
          .message(0)
          .hasSubject("plain")
          .wasNotEncrypted()
          .wasNotAuthenticated();
    }
  }

  @Test
  void sendsOverImplicitTlsVerifiedThroughTheTrustStore() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.TLS).start()) {
      Transport.send(simple(server.session(), "smtps"));
      assertThat(server).received(1).message(0).hasSubject("smtps").wasEncrypted();
    }
  }

  @Test
  void implicitTlsWithAWrongNameFailsWhenVerifyingAndPassesWhenNot() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.TLS).start()) {
      server.fault(Fault.TLS_CERT_WRONG_NAME);
      SmarthostSettings verify = server.settings();
      assertThatThrownBy(() -> Transport.send(simple(session(server, verify), "refused")))
          .isInstanceOf(MessagingException.class)
          .hasRootCauseInstanceOf(java.security.cert.CertificateException.class)
          .hasStackTraceContaining("No subject alternative DNS name matching localhost");
      assertThat(server).receivedNothing();

      SmarthostSettings noVerify = verify.toBuilder().verifyTls(false).build();
      Transport.send(simple(session(server, noVerify), "accepted"));
      assertThat(server).received(1).message(0).hasSubject("accepted").wasEncrypted();
    }
  }

  @Test
  void untrustedCertificatesFailUnlessVerificationIsOff() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder().encryption(Encryption.STARTTLS).start()) {
      // The JDK's default trust store does not know the server's CA.
      Session jdkTrust =
          new SmarthostSessionFactory(SmtpOptions.defaults()).session(server.settings());
      assertThatThrownBy(() -> Transport.send(simple(jdkTrust, "x")))
          .hasStackTraceContaining("unable to find valid certification path");
      server.fault(Fault.TLS_CERT_SELF_SIGNED);
      assertThatThrownBy(() -> Transport.send(simple(server.session(), "x")))
          .hasCauseInstanceOf(SSLHandshakeException.class);
      server.clearFaults();
      server.fault(Fault.TLS_CERT_EXPIRED);
      assertThatThrownBy(() -> Transport.send(simple(server.session(), "x")))
          .hasStackTraceContaining("CertificateExpiredException");
      Session noVerify = session(server, server.settings().toBuilder().verifyTls(false).build());
      Transport.send(simple(noVerify, "encrypted, not verified"));
      assertThat(server).received(1).message(0).wasEncrypted();
    }
  }

  @Test
  void starttlsIsRequiredNeverClearText() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", "pw")
            .start()) {
      server.fault(Fault.NO_STARTTLS_OFFERED);
      assertThatThrownBy(() -> Transport.send(simple(server.session(), "x")))
          .isInstanceOf(MessagingException.class)
          .hasMessageContaining("STARTTLS is required but host does not support STARTTLS");
      assertThat(server).receivedNothing();
    }
  }

  @Test
  void credentialsWithoutAuthOfferedAreRefusedNotIgnored() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder().encryption(Encryption.STARTTLS).start()) {
      // The server takes mail from anyone and offers no AUTH: Angus alone would send.
      SmarthostSettings withCredentials =
          server.settings().toBuilder().credentials("app", "pw").build();
      assertThatThrownBy(() -> Transport.send(simple(session(server, withCredentials), "x")))
          .isInstanceOf(MessagingException.class)
          .hasMessageContaining("offers no AUTH although credentials are configured")
          .hasMessageNotContaining("pw");
      assertThat(server).receivedNothing();
    }
  }

  @Test
  void nonAsciiPasswordAuthenticates() throws Exception {
    String password = "s3cret-Pässwörd-密码-😀";
    try (SmarthostServer server =
        SmarthostServer.builder().encryption(Encryption.TLS).requireAuth("app", password).start()) {
      Transport.send(simple(server.session(), "utf-8 password"));
      assertThat(server).received(1).message(0).wasAuthenticatedAs("app");

      Session wrong =
          session(server, server.settings().toBuilder().credentials("app", "Passwort").build());
      assertThatThrownBy(() -> Transport.send(simple(wrong, "x")))
          .isInstanceOf(AuthenticationFailedException.class)
          .hasMessageContaining("535");
    }
  }

  @Test
  void transportKeepsGreetingAndTlsSession() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", "pw")
            .start()) {
      Session session = server.session();
      try (Transport transport = session.getTransport()) {
        assertThat(transport).isInstanceOf(SmarthostTransport.class);
        transport.connect();
        SmarthostTransport t = (SmarthostTransport) transport;
        assertThat(t.greeting()).hasValueSatisfying(g -> assertThat(g).startsWith("220 "));
        assertThat(t.tlsSession())
            .hasValueSatisfying(s -> assertThat(s.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));
        assertThat(t.authenticated()).isTrue();
        assertThat(t.supportsExtension("AUTH")).isTrue();
      }
    }
  }

  @Test
  void aSilentServerTimesOutInsteadOfHanging() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      server.fault(Fault.NO_GREETING);
      SmtpOptions quick =
          server.smtpOptions().toBuilder().readTimeout(Duration.ofMillis(500)).build();
      Session session = new SmarthostSessionFactory(quick).session(server.settings());
      long start = System.nanoTime();
      assertThatThrownBy(() -> Transport.send(simple(session, "x")))
          .hasRootCauseInstanceOf(SocketTimeoutException.class);
      // Generous bound: the point is "finite", the exact figure belongs in a benchmark.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  @Test
  void envFileToSessionToServer(@TempDir Path dir) throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", "p=#w ö")
            .start()) {
      Path env = dir.resolve("smarthost.env");
      server.writeEnvFile(env);
      SmarthostSettings settings = EnvFileSmarthostResolver.of(env).resolve().orElseThrow();
      Transport.send(
          simple(new SmarthostSessionFactory(server.smtpOptions()).session(settings), "from env"));
      assertThat(server)
          .received(1)
          .message(0)
          .hasSubject("from env")
          .wasEncrypted()
          .wasAuthenticatedAs("app");
    }
  }
}
