package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Authentication;
import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.OAuth2Client;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.oauth2.AccessToken;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.session.ValidationPhase;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.testkit.Messages;
import dev.smarthost.testkit.SmarthostServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * OAuth 2.0 end to end: tokens from a real authorization server (client-credentials grant), sent
 * with SASL XOAUTH2 to the testkit server, which checks each token's signature, issuer and expiry.
 */
@Timeout(60)
class OAuth2Test {
  static final String MAILBOX = "notifications@contoso.com";

  OAuth2Server oauth;
  SmarthostServer smtp;

  @BeforeEach
  void start() {
    oauth = new OAuth2Server();
    smtp =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireOAuth2(MAILBOX, oauth.verifier())
            .start();
  }

  @AfterEach
  void stop() {
    smtp.close();
    oauth.close();
  }

  SmarthostSettings settings(OAuth2Client client) {
    return smtp.settings().toBuilder().oauth2(MAILBOX, client).build();
  }

  SmarthostMailer mailer(SmarthostSettings settings, SmtpOptions options) {
    return SmarthostMailer.builder(() -> Optional.of(settings))
        .options(options)
        .retryBackoff(Duration.ofMillis(10))
        .build();
  }

  @Test
  void anEnvFileWithTheFourOAuthKeysSendsWithATokenTheLibraryFetched(@TempDir Path dir)
      throws Exception {
    Path env = dir.resolve("smarthost.env");
    Files.writeString(
        env,
        String.join(
            "\n",
            "SMTP_ENABLED=1",
            "SMTP_HOST=" + smtp.host(),
            "SMTP_PORT=" + smtp.port(),
            "SMTP_ENCRYPTION=starttls",
            "SMTP_TLSVERIFY=1",
            "SMTP_USERNAME=" + MAILBOX,
            "SMTP_PASSWORD=",
            "SMTP_OAUTH2_TOKEN_URL=" + oauth.tokenEndpoint(),
            "SMTP_OAUTH2_CLIENT_ID=" + OAuth2Server.CLIENT_ID,
            "SMTP_OAUTH2_CLIENT_SECRET=" + OAuth2Server.CLIENT_SECRET,
            "SMTP_OAUTH2_SCOPE=" + OAuth2Server.SCOPE,
            ""),
        StandardCharsets.UTF_8);
    EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(env);
    assertThat(resolver.resolve().orElseThrow().authentication()).isEqualTo(Authentication.OAUTH2);
    try (SmarthostMailer mailer =
        SmarthostMailer.builder(resolver).options(smtp.smtpOptions()).build()) {
      SendResult result = mailer.send(Messages.simple(smtp.session(), "via XOAUTH2"));
      assertThat(result.acceptedRecipients()).isNotEmpty();
    }
    assertThat(smtp.awaitMessages(1, Duration.ofSeconds(5)).get(0).subject())
        .hasValue("via XOAUTH2");
    List<RecordedRequest> requests = oauth.tokenRequests();
    assertThat(requests).hasSize(1);
    String form = requests.get(0).getBody().readUtf8();
    assertThat(requests.get(0).getMethod()).isEqualTo("POST");
    assertThat(form)
        .contains("grant_type=client_credentials")
        .contains("client_id=" + OAuth2Server.CLIENT_ID)
        .contains("scope=https%3A%2F%2Foutlook.office365.com%2F.default");
    assertThat(oauth.presented).hasSize(1);
  }

  @Test
  void theValidatorShowsTheTokenPhaseBeforeConnecting() {
    ValidationResult r =
        SmtpConnectionValidator.create(smtp.smtpOptions()).validate(settings(oauth.client()));
    assertThat(r.ok()).as(r.toString()).isTrue();
    assertThat(r.authMechanisms()).containsExactly("XOAUTH2", "OAUTHBEARER");
    assertThat(r.phaseNames())
        .containsSubsequence(
            ValidationPhase.RESOLVE,
            ValidationPhase.TOKEN,
            ValidationPhase.CONNECT,
            ValidationPhase.GREETING,
            ValidationPhase.STARTTLS,
            ValidationPhase.AUTH);
  }

  @Test
  void oneTokenServesManyMessagesAndConcurrentSendersFetchOnce() throws Exception {
    SmarthostSettings settings = settings(oauth.client());
    try (SmarthostMailer mailer =
        SmarthostMailer.builder(() -> Optional.of(settings))
            .options(smtp.smtpOptions())
            .maxConnections(4)
            .build()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<SendResult>> sends = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        sends.add(
            pool.submit(
                () -> {
                  go.await();
                  return mailer.send(Messages.simple(smtp.session(), "concurrent " + n));
                }));
      }
      go.countDown();
      for (Future<SendResult> f : sends) {
        assertThat(f.get(30, TimeUnit.SECONDS).acceptedRecipients()).isNotEmpty();
      }
      pool.shutdown();
    }
    assertThat(smtp.awaitMessages(8, Duration.ofSeconds(5))).hasSize(8);
    assertThat(oauth.tokenRequests()).as("single flight, then cached").hasSize(1);
    assertThat(oauth.presented).hasSizeBetween(1, 4).allMatch(oauth.presented.get(0)::equals);
  }

  @Test
  void anExpiredTokenIsReplacedBeforeItIsSent() throws Exception {
    oauth.server.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            OAuth2Server.ISSUER, "app", "JWT", List.of("smtp"), java.util.Map.of(), 2));
    SmarthostSettings settings = settings(oauth.client());
    SmtpConnectionValidator validator = SmtpConnectionValidator.create(smtp.smtpOptions());
    assertThat(validator.validate(settings).ok()).isTrue();
    Thread.sleep(2_100); // the first token's lifetime
    ValidationResult second = validator.validate(settings);
    assertThat(second.ok()).as(second.toString()).isTrue();
    assertThat(oauth.tokenRequests()).hasSize(2);
    assertThat(oauth.presented).hasSize(2).doesNotHaveDuplicates();
  }

  @Test
  void aCachedTokenTheServerRejectsIsReplacedOnce() throws Exception {
    SmarthostSettings settings = settings(oauth.client());
    try (SmarthostMailer mailer = mailer(settings, smtp.smtpOptions().toBuilder().build())) {
      mailer.send(Messages.simple(smtp.session(), "first"));
      mailer.close();
    }
    oauth.revoked.add(oauth.presented.get(0)); // revoked before it expired
    try (SmarthostMailer mailer = mailer(settings, smtp.smtpOptions())) {
      SendResult r = mailer.send(Messages.simple(smtp.session(), "after revocation"));
      assertThat(r.attempts()).as("the replacement is part of the same attempt").isEqualTo(1);
    }
    assertThat(smtp.awaitMessages(2, Duration.ofSeconds(5))).hasSize(2);
    assertThat(oauth.tokenRequests()).hasSize(2);
    assertThat(oauth.presented).hasSize(3); // first, the revoked one again, its replacement
  }

  @Test
  void aRevokedClientIsOAuth2TokenFailedWithTheErrorCodeAndAHint() throws Exception {
    ValidationResult r;
    try (MockWebServer entra =
        OAuth2Server.failingEndpoint(
            401,
            "invalid_client",
            "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the"
                + " client secret value, not the client secret ID.")) {
      r = SmtpConnectionValidator.create(smtp.smtpOptions()).validate(settings(clientOf(entra)));
      assertThat(entra.takeRequest().getBody().readUtf8())
          .contains("client_secret=" + OAuth2Server.CLIENT_SECRET.replace("~", "%7E"));
    }
    SmtpFailure f = r.failure().orElseThrow();
    assertThat(f.kind()).isEqualTo(FailureKind.OAUTH2_TOKEN_FAILED);
    assertThat(f.detail()).contains("invalid_client", "HTTP 401", "AADSTS7000215");
    assertThat(f.hint()).contains("client id and secret");
    assertThat(r.phaseNames())
        .doesNotContain(ValidationPhase.CONNECT); // no SMTP connection without a token
    assertThat(smtp.connectionCount()).isZero();
    assertThat(r.toString() + f).doesNotContain(OAuth2Server.CLIENT_SECRET);
  }

  @Test
  void aHugeTokenAnswerIsRefusedAfter64KiBNotReadWhole() throws Exception {
    // security round 3, item 1: a 600 MiB answer exhausted a 128 MiB heap; here 20 MiB stands for
    // it
    ValidationResult r;
    try (MockWebServer entra = new MockWebServer()) {
      entra.enqueue(
          new okhttp3.mockwebserver.MockResponse()
              .setHeader("Content-Type", "application/json")
              .setBody("{\"access_token\":\"" + "x".repeat(20 << 20) + "\"}"));
      entra.start(java.net.InetAddress.getLoopbackAddress(), 0);
      r = SmtpConnectionValidator.create(smtp.smtpOptions()).validate(settings(clientOf(entra)));
    }
    SmtpFailure f = r.failure().orElseThrow();
    assertThat(f.kind()).isEqualTo(FailureKind.OAUTH2_TOKEN_FAILED);
    assertThat(f.detail()).contains("larger than 64 KiB");
    assertThat(smtp.connectionCount()).isZero();
  }

  static OAuth2Client clientOf(MockWebServer endpoint) {
    return OAuth2Client.of(
        OAuth2Server.literal(endpoint.url("/tenant/oauth2/v2.0/token")),
        OAuth2Server.CLIENT_ID,
        OAuth2Server.CLIENT_SECRET,
        OAuth2Server.SCOPE);
  }

  @Test
  void aRefusedScopeAndAnUnauthorizedClientHaveTheirOwnHints() throws Exception {
    SmtpConnectionValidator validator = SmtpConnectionValidator.create(smtp.smtpOptions());
    try (MockWebServer entra =
        OAuth2Server.failingEndpoint(
            400, "invalid_scope", "AADSTS70011: The provided value for scope is not valid.")) {
      SmtpFailure scope = validator.validate(settings(clientOf(entra))).failure().orElseThrow();
      assertThat(scope.kind()).isEqualTo(FailureKind.OAUTH2_TOKEN_FAILED);
      assertThat(scope.detail()).contains("invalid_scope");
      assertThat(scope.hint()).contains("https://outlook.office365.com/.default");
    }
    try (MockWebServer entra =
        OAuth2Server.failingEndpoint(400, "unauthorized_client", "AADSTS700016: not allowed")) {
      SmtpFailure client = validator.validate(settings(clientOf(entra))).failure().orElseThrow();
      assertThat(client.detail()).contains("unauthorized_client");
      assertThat(client.hint()).contains("SMTP.SendAsApp");
    }
  }

  @Test
  void anUnreachableOrSilentTokenEndpointFailsWithinTheTimeouts() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    SmtpOptions quick =
        smtp.smtpOptions().toBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .readTimeout(Duration.ofSeconds(1))
            .build();
    SmtpConnectionValidator validator = SmtpConnectionValidator.create(quick);
    OAuth2Client unreachable =
        OAuth2Client.of(
            URI.create("http://127.0.0.1:" + closedPort + "/tenant/token"), "id", "secret", "");
    SmtpFailure refused = validator.validate(settings(unreachable)).failure().orElseThrow();
    assertThat(refused.kind()).isEqualTo(FailureKind.OAUTH2_TOKEN_FAILED);
    assertThat(refused.detail()).contains("cannot reach the token endpoint");
    assertThat(refused.hint()).contains("could not be reached");

    try (ServerSocket silent = new ServerSocket(0)) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept()); // accepts, never answers
                  }
                } catch (java.io.IOException closed) {
                  // done
                }
              });
      acceptor.start();
      OAuth2Client stalled =
          OAuth2Client.of(
              URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/token"), "id", "s", "");
      long start = System.nanoTime();
      SmtpFailure timeout = validator.validate(settings(stalled)).failure().orElseThrow();
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(timeout.kind()).isEqualTo(FailureKind.OAUTH2_TOKEN_FAILED);
      assertThat(timeout.detail()).containsIgnoringCase("timed out");
      assertThat(millis).as("bounded by the read timeout").isLessThan(10_000);
    }
  }

  @Test
  void aTokenTheServerRejectsIsAuthenticationFailedWithItsXoauth2Error() {
    SmarthostServer rejecting =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireOAuth2(MAILBOX, token -> false)
            .start();
    try (rejecting) {
      SmarthostSettings settings =
          rejecting.settings().toBuilder().oauth2(MAILBOX, oauth.client()).build();
      SmtpFailure f =
          SmtpConnectionValidator.create(rejecting.smtpOptions())
              .validate(settings)
              .failure()
              .orElseThrow();
      assertThat(f.kind()).isEqualTo(FailureKind.AUTHENTICATION_FAILED);
      assertThat(f.detail()).contains("XOAUTH2 error", "\"status\":\"401\"");
      assertThat(f.hint()).contains("rejected the access token");
    }
  }

  @Test
  void aServerWithoutXoauth2IsAuthNotOfferedAndNeverGetsTheTokenAsAPassword() {
    AtomicInteger logins = new AtomicInteger();
    SmarthostServer passwordOnly =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth(MAILBOX, "irrelevant")
            .start();
    try (passwordOnly) {
      SmarthostSettings settings =
          passwordOnly.settings().toBuilder().oauth2(MAILBOX, oauth.client()).build();
      ValidationResult r =
          SmtpConnectionValidator.create(passwordOnly.smtpOptions()).validate(settings);
      SmtpFailure f = r.failure().orElseThrow();
      assertThat(f.kind()).isEqualTo(FailureKind.AUTH_NOT_OFFERED);
      assertThat(f.hint()).contains("XOAUTH2");
      assertThat(f.detail()).contains("No authentication mechanisms supported");
      logins.incrementAndGet();
    }
    assertThat(logins).hasValue(1);
  }

  @Test
  void anApplicationsOwnTokenSourceReplacesTheClientCredentialsGrant() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    SmtpOptions options =
        smtp.smtpOptions().toBuilder()
            .tokenSource(
                (client, timeout) -> {
                  calls.incrementAndGet();
                  // e.g. a service account's signed assertion; here the test server mints one
                  String jwt =
                      oauth.server.issueToken(OAuth2Server.ISSUER, "sa", "smtp").serialize();
                  return AccessToken.of(jwt, Instant.now().plusSeconds(3600));
                })
            .build();
    SmarthostSettings settings = settings(oauth.client());
    try (SmarthostMailer mailer = mailer(settings, options)) {
      mailer.send(Messages.simple(smtp.session(), "own flow 1"));
      mailer.send(Messages.simple(smtp.session(), "own flow 2"));
    }
    assertThat(smtp.awaitMessages(2, Duration.ofSeconds(5))).hasSize(2);
    assertThat(calls).as("cached by the library").hasValue(1);
  }

  @Test
  void aFailingTokenSourceIsReportedToTheSenderAsATemporaryFailure() {
    SmtpOptions options =
        smtp.smtpOptions().toBuilder()
            .tokenSource(
                (client, timeout) -> {
                  throw new dev.smarthost.core.oauth2.OAuth2TokenException(
                      "no token today", "temporarily_unavailable", 503, null);
                })
            .build();
    try (SmarthostMailer mailer = mailer(settings(oauth.client()), options)) {
      assertThatThrownBy(() -> mailer.send(Messages.simple(smtp.session(), "x")))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> {
                assertThat(e.failure().kind()).isEqualTo(FailureKind.OAUTH2_TOKEN_FAILED);
                assertThat(e.failure().kind().isTemporary()).isTrue();
                assertThat(e.failure().detail()).contains("no token today");
                assertThat(e.failure().hint()).contains("temporarily_unavailable");
              });
    }
    assertThat(smtp.receivedMessages()).isEmpty();
  }

  @Test
  void neitherTheSecretNorATokenIsLoggedOrPrintedEvenWithSmtpDebugOn() throws Exception {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    List<String> texts = new ArrayList<>();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try {
      SmtpOptions debug = smtp.smtpOptions().toBuilder().debug(true).build();
      SmarthostSettings settings = settings(oauth.client());
      texts.add(settings.toString());
      texts.add(String.valueOf(settings.oauth2Client()));
      ValidationResult ok = SmtpConnectionValidator.create(debug).validate(settings);
      texts.add(ok.toString());
      try (SmarthostMailer mailer = mailer(settings, debug)) {
        texts.add(mailer.send(Messages.simple(smtp.session(), "debug on")).toString());
      }
      oauth.revoked.addAll(oauth.presented);
      try (SmarthostServer rejecting =
          SmarthostServer.builder()
              .encryption(Encryption.STARTTLS)
              .requireOAuth2(MAILBOX, token -> false)
              .start()) {
        SmarthostSettings rejected =
            rejecting.settings().toBuilder().oauth2(MAILBOX, oauth.client()).build();
        ValidationResult r =
            SmtpConnectionValidator.create(rejecting.smtpOptions().toBuilder().debug(true).build())
                .validate(rejected);
        texts.add(r.toString());
        texts.add(String.valueOf(r.failure().orElseThrow().detail()));
      }
      try (MockWebServer entra =
          OAuth2Server.failingEndpoint(401, "invalid_client", "bad secret")) {
        texts.add(
            SmtpConnectionValidator.create(debug).validate(settings(clientOf(entra))).toString());
      }
    } finally {
      System.setErr(originalErr);
    }
    String printed = logs.toString(StandardCharsets.UTF_8);
    assertThat(printed).as("the SMTP debug trace ran").contains("EHLO").contains("AUTH XOAUTH2");
    assertThat(oauth.presented).isNotEmpty();
    String all = printed + String.join("\n", texts);
    assertThat(all).doesNotContain(OAuth2Server.CLIENT_SECRET).doesNotContain("Bearer ");
    for (String token : oauth.presented) {
      assertThat(all).doesNotContain(token).doesNotContain(token.substring(0, 40));
      String xoauth2 =
          java.util.Base64.getEncoder()
              .encodeToString(
                  ("user=" + MAILBOX + "\u0001auth=Bearer " + token + "\u0001\u0001")
                      .getBytes(StandardCharsets.UTF_8));
      assertThat(all).doesNotContain(xoauth2.substring(0, 48));
    }
  }

  @Test
  void aTokenInClearTextIsWarnedAbout() {
    try (SmarthostServer plain =
        SmarthostServer.builder()
            .encryption(Encryption.NONE)
            .requireOAuth2(MAILBOX, oauth.verifier())
            .start()) {
      ValidationResult r =
          SmtpConnectionValidator.create(plain.smtpOptions())
              .validate(plain.settings().toBuilder().oauth2(MAILBOX, oauth.client()).build());
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.warnings())
          .singleElement()
          .asString()
          .startsWith("the access token is sent in clear text");
    }
  }

  @Test
  void aSlowTokenEndpointDoesNotCountAsAMissingGreeting() throws Exception {
    // The early TLS probe starts after 2.5 s without a greeting, measured from the connect: a
    // token that took 2.2 s plus a greeting after 0.6 s is no reason for a second connection.
    try (MockWebServer slowTokens = new MockWebServer();
        SmarthostServer slowGreeting =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireOAuth2(MAILBOX, "slow-but-fine"::equals)
                .start()) {
      slowTokens.enqueue(
          new okhttp3.mockwebserver.MockResponse()
              .setHeadersDelay(2200, TimeUnit.MILLISECONDS)
              .setHeader("Content-Type", "application/json")
              .setBody(
                  "{\"access_token\":\"slow-but-fine\",\"token_type\":\"Bearer\",\"expires_in\":600}"));
      slowTokens.start(java.net.InetAddress.getLoopbackAddress(), 0);
      slowGreeting.fault(dev.smarthost.testkit.Fault.slowGreeting(Duration.ofMillis(600)));
      ValidationResult r =
          SmtpConnectionValidator.create(slowGreeting.smtpOptions())
              .validate(
                  slowGreeting.settings().toBuilder()
                      .oauth2(MAILBOX, clientOf(slowTokens))
                      .build());
      assertThat(r.ok()).as(r.toString()).isTrue();
      assertThat(r.phases().get(1).phase()).isEqualTo(ValidationPhase.TOKEN);
      assertThat(r.phases().get(1).duration()).isGreaterThan(Duration.ofMillis(2000));
      assertThat(slowGreeting.connectionCount()).as("no TLS probe connection").isEqualTo(1);
    }
  }
}
