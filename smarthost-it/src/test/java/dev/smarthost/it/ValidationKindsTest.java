package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.session.ValidationPhase;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Fault.Step;
import dev.smarthost.testkit.SmarthostServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One test per failure kind, each against a real local server that really behaves so. */
@Timeout(60)
class ValidationKindsTest {
  private static final String PASSWORD = "s3cret-Pässwörd";
  private static final TestMessage MESSAGE = TestMessage.of("app@example.org", "admin@example.org");

  /** Short timeouts: each test waits for at most a couple of seconds. */
  private static SmtpConnectionValidator validator(SmarthostServer server) {
    return SmtpConnectionValidator.create(quick(server.smtpOptions()));
  }

  private static SmtpOptions quick(SmtpOptions o) {
    return o.toBuilder()
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(1))
        .build();
  }

  private static SmarthostServer server(Encryption encryption, boolean auth, Fault... faults) {
    SmarthostServer.Builder b = SmarthostServer.builder().encryption(encryption);
    if (auth) {
      b.requireAuth("app", PASSWORD);
    }
    SmarthostServer server = b.start();
    server.fault(faults);
    return server;
  }

  private static SmtpFailure failure(ValidationResult r, FailureKind kind) {
    assertThat(r.ok()).as("%s", r).isFalse();
    SmtpFailure f = r.failure().orElseThrow();
    assertThat(f.kind()).as("%s / %s", f, f.detail()).isEqualTo(kind);
    assertThat(f.hint()).isNotBlank().doesNotContain(PASSWORD);
    assertThat(f.detail()).doesNotContain(PASSWORD);
    assertThat(r.toString()).doesNotContain(PASSWORD);
    return f;
  }

  private static void check(
      Encryption mode,
      boolean auth,
      FailureKind kind,
      Consumer<SmarthostSettings.Builder> settings,
      Fault... faults) {
    try (SmarthostServer server = server(mode, auth, faults)) {
      SmarthostSettings.Builder b = server.settings().toBuilder();
      settings.accept(b);
      failure(validator(server).validate(b.build()), kind);
    }
  }

  @Test
  void passesAndReportsWhatTheServerShowed() {
    try (SmarthostServer server = server(Encryption.STARTTLS, true)) {
      ValidationResult r = validator(server).validate(server.settings());
      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.greeting()).hasValueSatisfying(g -> assertThat(g).startsWith("220 "));
      assertThat(r.authMechanisms()).containsExactly("PLAIN", "LOGIN");
      assertThat(r.ehloExtensions()).contains("8BITMIME").doesNotContain("STARTTLS");
      // in the order of the conversation: STARTTLS after the first EHLO, then EHLO again
      assertThat(r.phaseNames())
          .containsExactly(
              ValidationPhase.RESOLVE,
              ValidationPhase.CONNECT,
              ValidationPhase.GREETING,
              ValidationPhase.EHLO,
              ValidationPhase.STARTTLS,
              ValidationPhase.EHLO,
              ValidationPhase.AUTH,
              ValidationPhase.MAIL);
      assertThat(r.tls())
          .hasValueSatisfying(
              t -> {
                assertThat(t.protocol()).isIn("TLSv1.3", "TLSv1.2");
                assertThat(t.peerAlternativeNames()).contains("localhost", "127.0.0.1");
                assertThat(t.peerIssuer())
                    .hasValueSatisfying(i -> assertThat(i).contains("smarthost-testkit CA"));
                assertThat(t.peerNotAfter()).isPresent();
              });
      assertThat(r.testMessageSent()).isFalse();
      assertThat(server.receivedMessages()).isEmpty();

      ValidationResult sent = validator(server).validate(server.settings(), MESSAGE);
      assertThat(sent.ok()).as("%s", sent).isTrue();
      assertThat(sent.testMessageSent()).isTrue();
      assertThat(sent.phaseNames())
          .endsWith(
              ValidationPhase.AUTH,
              ValidationPhase.MAIL,
              ValidationPhase.RCPT,
              ValidationPhase.DATA);
      assertThat(server.awaitMessages(1, Duration.ofSeconds(5)).get(0).recipients())
          .containsExactly("admin@example.org");
    }
  }

  @Test
  void implicitTlsPhases() {
    try (SmarthostServer server = server(Encryption.TLS, false)) {
      ValidationResult r = validator(server).validate(server.settings());
      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(r.phaseNames())
          .containsExactly(
              ValidationPhase.RESOLVE,
              ValidationPhase.CONNECT,
              ValidationPhase.TLS,
              ValidationPhase.GREETING,
              ValidationPhase.EHLO,
              ValidationPhase.MAIL);
      assertThat(r.tls()).isPresent();
    }
  }

  @Test
  void unknownHost() {
    SmarthostSettings s = SmarthostSettings.builder().host("no-such-host.invalid").build();
    failure(
        SmtpConnectionValidator.create(SmtpOptions.defaults()).validate(s),
        FailureKind.UNKNOWN_HOST);
  }

  @Test
  void connectionRefused() throws Exception {
    int port;
    try (ServerSocket unused = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = unused.getLocalPort();
    }
    SmarthostSettings s =
        SmarthostSettings.builder()
            .host("127.0.0.1")
            .port(port)
            .encryption(Encryption.NONE)
            .build();
    SmtpFailure f =
        failure(
            SmtpConnectionValidator.create(SmtpOptions.defaults()).validate(s),
            FailureKind.CONNECTION_REFUSED);
    assertThat(f.hint()).contains("127.0.0.1:" + port);
  }

  @Test
  void connectTimeoutAgainstAListenerWhoseBacklogIsFull() throws Exception {
    // A listener that never accepts, with its accept queue filled: Linux drops further SYNs.
    try (ServerSocket full = new ServerSocket()) {
      full.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
      List<Socket> fillers = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          Socket s = new Socket();
          try {
            s.connect(full.getLocalSocketAddress(), 200);
            fillers.add(s);
          } catch (java.io.IOException e) {
            s.close();
          }
        }
        SmarthostSettings s =
            SmarthostSettings.builder()
                .host("127.0.0.1")
                .port(full.getLocalPort())
                .encryption(Encryption.NONE)
                .build();
        SmtpOptions o =
            SmtpOptions.builder()
                .connectTimeout(Duration.ofMillis(500))
                .readTimeout(Duration.ofSeconds(1))
                .build();
        failure(SmtpConnectionValidator.create(o).validate(s), FailureKind.CONNECT_TIMEOUT);
      } finally {
        for (Socket s : fillers) {
          s.close();
        }
      }
    }
  }

  @Test
  void noGreeting() {
    check(Encryption.NONE, false, FailureKind.NO_GREETING, b -> {}, Fault.NO_GREETING);
  }

  @Test
  void serverExpectsTls() {
    SmtpFailure f;
    try (SmarthostServer server = server(Encryption.TLS, false)) {
      f =
          failure(
              validator(server)
                  .validate(server.settings().toBuilder().encryption(Encryption.NONE).build()),
              FailureKind.SERVER_EXPECTS_TLS);
      assertThat(f.hint())
          .isEqualTo("Port " + server.port() + " expects implicit TLS: choose encryption TLS.");
      failure(
          validator(server)
              .validate(server.settings().toBuilder().encryption(Encryption.STARTTLS).build()),
          FailureKind.SERVER_EXPECTS_TLS);
    }
  }

  @Test
  void anImplicitTlsPortIsFoundLongBeforeTheDeadlineWithDefaultTimeouts() {
    try (SmarthostServer server = server(Encryption.TLS, false)) {
      // default options: 30 s read timeout and deadline; the second connection's handshake tells
      SmtpConnectionValidator v = SmtpConnectionValidator.create(server.smtpOptions());
      for (Encryption clearFirst : List.of(Encryption.NONE, Encryption.STARTTLS)) {
        ValidationResult r =
            v.validate(server.settings().toBuilder().encryption(clearFirst).build());
        SmtpFailure f = failure(r, FailureKind.SERVER_EXPECTS_TLS);
        assertThat(f.detail()).contains("TLS handshake on a second connection succeeded");
        assertThat(r.total()).isLessThan(Duration.ofSeconds(10));
        assertThat(r.phaseNames())
            .containsExactly(ValidationPhase.RESOLVE, ValidationPhase.CONNECT);
      }
    }
  }

  @Test
  void aSilentClearTextPortStaysNoGreetingAfterTheTlsProbeFails() {
    try (SmarthostServer server =
        server(Encryption.NONE, false, Fault.slowGreeting(Duration.ofSeconds(30)))) {
      ValidationResult r =
          SmtpConnectionValidator.create(server.smtpOptions())
              .withDeadline(Duration.ofSeconds(6))
              .validate(server.settings());
      failure(r, FailureKind.NO_GREETING);
      assertThat(r.failure().orElseThrow().detail()).contains("deadline");
    }
  }

  @Test
  void progressHearsEachPhaseOnTheCallingThreadInOrderBeforeValidateReturns() {
    try (SmarthostServer server = server(Encryption.STARTTLS, true)) {
      List<ValidationPhase> heard = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      ValidationResult r =
          validator(server)
              .withProgress(
                  p -> {
                    heard.add(p.phase());
                    threads.add(Thread.currentThread());
                  })
              .validate(server.settings(), MESSAGE);
      assertThat(r.ok()).as("%s", r).isTrue();
      assertThat(heard).isEqualTo(r.phaseNames()).hasSize(10);
      assertThat(threads).containsOnly(Thread.currentThread());
    }
  }

  @Test
  void serverDoesNotSpeakTls() {
    check(
        Encryption.NONE,
        false,
        FailureKind.SERVER_DOES_NOT_SPEAK_TLS,
        b -> b.encryption(Encryption.TLS));
  }

  @Test
  void tlsHandshakeFailed() {
    try (SmarthostServer server = server(Encryption.TLS, false)) {
      // TLS 1.1 is disabled in the JDK: no protocol in common.
      SmtpOptions old =
          quick(server.smtpOptions()).toBuilder().tlsProtocols(List.of("TLSv1.1")).build();
      failure(
          SmtpConnectionValidator.create(old).validate(server.settings()),
          FailureKind.TLS_HANDSHAKE_FAILED);
    }
  }

  @Test
  void certificateUntrusted() {
    check(
        Encryption.TLS,
        false,
        FailureKind.CERTIFICATE_UNTRUSTED,
        b -> {},
        Fault.TLS_CERT_SELF_SIGNED);
  }

  @Test
  void certificateExpired() {
    check(
        Encryption.STARTTLS,
        false,
        FailureKind.CERTIFICATE_EXPIRED,
        b -> {},
        Fault.TLS_CERT_EXPIRED);
  }

  @Test
  void certificateNameMismatch() {
    check(
        Encryption.TLS,
        false,
        FailureKind.CERTIFICATE_NAME_MISMATCH,
        b -> {},
        Fault.TLS_CERT_WRONG_NAME);
  }

  @Test
  void starttlsNotOffered() {
    check(
        Encryption.STARTTLS,
        false,
        FailureKind.STARTTLS_NOT_OFFERED,
        b -> {},
        Fault.NO_STARTTLS_OFFERED);
  }

  @Test
  void authNotOfferedAlthoughCredentialsAreSet() {
    check(Encryption.STARTTLS, true, FailureKind.AUTH_NOT_OFFERED, b -> {}, Fault.NO_AUTH_OFFERED);
    check(Encryption.TLS, false, FailureKind.AUTH_NOT_OFFERED, b -> b.credentials("app", PASSWORD));
  }

  @Test
  void authenticationFailed() {
    try (SmarthostServer server = server(Encryption.TLS, true)) {
      SmtpFailure f =
          failure(
              validator(server)
                  .validate(server.settings().toBuilder().credentials("app", "wrong").build()),
              FailureKind.AUTHENTICATION_FAILED);
      assertThat(f.replyCode()).hasValue(535);
      assertThat(f.reply()).hasValueSatisfying(r -> assertThat(r).startsWith("535 5.7.8"));
    }
  }

  @Test
  void nonAsciiPasswordAuthenticates() {
    try (SmarthostServer server = server(Encryption.STARTTLS, true)) {
      assertThat(validator(server).validate(server.settings()).ok()).isTrue();
    }
  }

  @Test
  void authenticationRequiredIsFoundEvenWithoutATestMessage() {
    check(
        Encryption.STARTTLS,
        true,
        FailureKind.AUTHENTICATION_REQUIRED,
        SmarthostSettings.Builder::noCredentials);
  }

  @Test
  void senderRejected() {
    assertSendFails(
        Fault.reject(Step.MAIL, 553, "5.7.1 Sender address rejected"),
        FailureKind.SENDER_REJECTED,
        553);
  }

  @Test
  void recipientRejectedAlthoughConnectAndLoginPass() {
    try (SmarthostServer server =
        server(
            Encryption.STARTTLS, true, Fault.reject(Step.RCPT, 554, "5.7.1 Relay access denied"))) {
      assertThat(validator(server).validate(server.settings()).ok()).isTrue();
      SmtpFailure f =
          failure(
              validator(server).validate(server.settings(), MESSAGE),
              FailureKind.RECIPIENT_REJECTED);
      assertThat(f.replyCode()).hasValue(554);
      assertThat(f.reply()).hasValueSatisfying(r -> assertThat(r).contains("Relay access denied"));
    }
  }

  @Test
  void messageRejected() {
    assertSendFails(
        Fault.reject(Step.DATA, 554, "5.7.1 Message content rejected"),
        FailureKind.MESSAGE_REJECTED,
        554);
  }

  @Test
  void messageTooLargeAfterData() {
    assertSendFails(
        Fault.reject(Step.DATA, 552, "5.3.4 Message too big"), FailureKind.MESSAGE_TOO_LARGE, 552);
  }

  @Test
  void serverUnavailable() {
    try (SmarthostServer server =
        server(Encryption.NONE, false, Fault.reject(Step.CONNECT, 421, "4.3.2 Try again later"))) {
      SmtpFailure f =
          failure(validator(server).validate(server.settings()), FailureKind.SERVER_UNAVAILABLE);
      assertThat(f.replyCode()).hasValue(421);
    }
    assertSendFails(
        Fault.reject(Step.RCPT, 451, "4.3.0 Temporary lookup failure"),
        FailureKind.SERVER_UNAVAILABLE,
        451);
  }

  @Test
  void aSlowAuthReplyIsAReadTimeoutNotBadCredentials() {
    check(Encryption.TLS, true, FailureKind.READ_TIMEOUT, b -> {}, Fault.stall(Step.AUTH));
  }

  @Test
  void protocolErrorWhenTheServerHangsUp() {
    check(Encryption.NONE, false, FailureKind.PROTOCOL_ERROR, b -> {}, Fault.DROP_AFTER_EHLO);
  }

  private static void assertSendFails(Fault fault, FailureKind kind, int code) {
    try (SmarthostServer server = server(Encryption.STARTTLS, true, fault)) {
      SmtpFailure f = failure(validator(server).validate(server.settings(), MESSAGE), kind);
      assertThat(f.replyCode()).hasValue(code);
      assertThat(server.receivedMessages()).isEmpty();
    }
  }

  @Test
  void totalDeadlineHoldsAgainstATarpit() {
    try (SmarthostServer server =
        server(Encryption.NONE, false, Fault.slowGreeting(Duration.ofSeconds(30)))) {
      // Read timeout 30 s, deadline 1 s: the deadline must win.
      SmtpConnectionValidator v =
          SmtpConnectionValidator.create(server.smtpOptions()).withDeadline(Duration.ofSeconds(1));
      ValidationResult r = v.validate(server.settings());
      failure(r, FailureKind.NO_GREETING);
      assertThat(r.total())
          .isLessThan(Duration.ofSeconds(5)); // generous; the benchmark measures it
      assertThat(r.failure().orElseThrow().detail()).contains("deadline");
    }
  }
}
