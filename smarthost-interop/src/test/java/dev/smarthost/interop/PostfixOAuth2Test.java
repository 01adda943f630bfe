package dev.smarthost.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Authentication;
import dev.smarthost.FailureKind;
import dev.smarthost.OAuth2Client;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.session.ValidationPhase;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.interop.Postfix.Service;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * OAuth 2.0 against real servers: tokens the library fetched itself from an OAuth 2.0 server
 * (client-credentials grant), sent with SASL XOAUTH2 to Postfix, which asks Dovecot, whose {@code
 * oauth2} passdb checks each token by introspection (RFC 7662) at the same OAuth 2.0 server.
 */
@Timeout(180)
@Tag("system-servers")
class PostfixOAuth2Test {
  static final String ISSUER = "entra";
  static final String MAILBOX = "notifications@example.org";
  static final String CLIENT_ID = "interop-app";
  static final String CLIENT_SECRET = "Interop~Client.Secret_77";
  static final TestMessage TEST = TestMessage.of("app@example.org", "admin@example.org");

  static MockOAuth2Server oauth;
  static Postfix postfix;
  static SmtpOptions options;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    oauth = new MockOAuth2Server();
    oauth.start(InetAddress.getByName("127.0.0.1"), 0);
    postfix =
        Postfix.startWithOAuth2(
            "app", "unused-password", literal(oauth.url(ISSUER + "/introspect")));
    options = postfix.options();
  }

  @AfterAll
  static void stop() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
    if (oauth != null) {
      oauth.shutdown();
    }
  }

  /**
   * The next token the OAuth server issues may send as this mailbox and lives this long. With the
   * client-credentials grant its {@code sub} is the client, as at Microsoft; the mailbox is the
   * {@code username} claim, which Dovecot compares with the XOAUTH2 user. (Dovecot also insists on
   * {@code token_type} Bearer in the introspection answer, which the mock server copies from the
   * claims.)
   */
  static void nextToken(String mailbox, long seconds) {
    oauth.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            ISSUER,
            CLIENT_ID,
            "JWT",
            List.of("smtp"),
            Map.of("token_type", "Bearer", "username", mailbox),
            seconds));
  }

  static List<RecordedRequest> tokenRequests() {
    List<RecordedRequest> requests = new ArrayList<>();
    while (true) {
      RecordedRequest r;
      try {
        r = oauth.takeRequest(200, TimeUnit.MILLISECONDS);
      } catch (RuntimeException none) {
        return requests;
      }
      if (r.getPath() != null && r.getPath().endsWith("/token")) {
        requests.add(r);
      }
    }
  }

  static OAuth2Client client(java.net.URI endpoint) {
    return OAuth2Client.of(endpoint, CLIENT_ID, CLIENT_SECRET, "smtp");
  }

  static SmarthostSettings settings(OAuth2Client client) {
    return SmarthostSettings.builder()
        .host("localhost")
        .port(postfix.port(Service.SUBMISSION))
        .encryption(dev.smarthost.Encryption.STARTTLS)
        .oauth2(MAILBOX, client)
        .build();
  }

  @Test
  void anEnvFileWithTheFourOAuthKeysSendsThroughPostfixAndDovecot() throws Exception {
    tokenRequests(); // forget earlier requests
    nextToken(MAILBOX, 3600);
    Path env = dir.resolve("smarthost.env");
    Files.writeString(
        env,
        String.join(
            "\n",
            "SMTP_ENABLED=1",
            "SMTP_HOST=localhost",
            "SMTP_PORT=" + postfix.port(Service.SUBMISSION),
            "SMTP_ENCRYPTION=starttls",
            "SMTP_TLSVERIFY=1",
            "SMTP_USERNAME=" + MAILBOX,
            "SMTP_PASSWORD=",
            "SMTP_OAUTH2_TOKEN_URL=" + literal(oauth.tokenEndpointUrl(ISSUER)),
            "SMTP_OAUTH2_CLIENT_ID=" + CLIENT_ID,
            "SMTP_OAUTH2_CLIENT_SECRET=" + CLIENT_SECRET,
            "SMTP_OAUTH2_SCOPE=smtp",
            ""),
        StandardCharsets.UTF_8);
    EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(env);
    SmarthostSettings settings = resolver.resolve().orElseThrow();
    assertThat(settings.authentication()).isEqualTo(Authentication.OAUTH2);

    ValidationResult check = SmtpConnectionValidator.create(options).validate(settings, TEST);
    assertThat(check.ok()).as(check.toString() + "\n" + postfix.dovecotLog()).isTrue();
    assertThat(check.phaseNames())
        .containsSubsequence(
            ValidationPhase.TOKEN,
            ValidationPhase.CONNECT,
            ValidationPhase.STARTTLS,
            ValidationPhase.AUTH,
            ValidationPhase.DATA);
    assertThat(check.authMechanisms()).contains("XOAUTH2");
    assertThat(check.testMessageSent()).isTrue();

    try (SmarthostMailer mailer = SmarthostMailer.builder(resolver).options(options).build()) {
      MimeMessage m = new MimeMessage(new SmarthostSessionFactory(options).session(settings));
      m.setFrom(new InternetAddress("app@example.org"));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
      m.setSubject("oauth2 mailer");
      m.setText("sent with a token the library fetched");
      SendResult sent = mailer.send(m);
      assertThat(sent.acceptedRecipients()).containsExactly("admin@example.org");
    }
    awaitHeld("oauth2 mailer");
    assertThat(postfix.log()).contains("sasl_method=XOAUTH2, sasl_username=" + MAILBOX);
    assertThat(tokenRequests()).as("one token for the check and the mailer").hasSize(1);
  }

  @Test
  void anExpiredTokenIsReplacedAndTheNewOneAccepted() throws Exception {
    tokenRequests();
    nextToken(MAILBOX, 2);
    nextToken(MAILBOX, 3600);
    // its own client id: tokens are cached per client, JVM-wide
    OAuth2Client client =
        OAuth2Client.of(
            literal(oauth.tokenEndpointUrl(ISSUER)), "expiry-app", CLIENT_SECRET, "smtp");
    SmtpConnectionValidator validator = SmtpConnectionValidator.create(options);
    ValidationResult first = validator.validate(settings(client));
    assertThat(first.ok()).as(first.toString()).isTrue();
    Thread.sleep(2_100);
    ValidationResult second = validator.validate(settings(client));
    assertThat(second.ok()).as(second.toString() + "\n" + postfix.dovecotLog()).isTrue();
    assertThat(second.phaseNames()).contains(ValidationPhase.TOKEN, ValidationPhase.AUTH);
    assertThat(tokenRequests()).hasSize(2);
  }

  @Test
  void aTokenForAnotherMailboxIsRejectedByDovecot() {
    nextToken("someone-else@example.org", 3600);
    OAuth2Client client =
        OAuth2Client.of(
            literal(oauth.tokenEndpointUrl(ISSUER)), "other-app", CLIENT_SECRET, "smtp");
    ValidationResult r = SmtpConnectionValidator.create(options).validate(settings(client));
    SmtpFailure f = r.failure().orElseThrow();
    assertThat(f.kind()).as(r.toString()).isEqualTo(FailureKind.AUTHENTICATION_FAILED);
    assertThat(f.detail()).contains("XOAUTH2 error");
    assertThat(f.hint()).contains("rejected the access token");
  }

  @Test
  void aRevokedClientIsOAuth2TokenFailedAndPostfixIsNotContacted() throws Exception {
    try (MockWebServer entra = new MockWebServer()) {
      entra.enqueue(
          new MockResponse()
              .setResponseCode(401)
              .setHeader("Content-Type", "application/json")
              .setBody(
                  "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000222: The"
                      + " provided client secret keys for app are expired.\"}"));
      entra.start(InetAddress.getByName("127.0.0.1"), 0);
      String before = postfix.log();
      ValidationResult r =
          SmtpConnectionValidator.create(options)
              .validate(settings(client(literal(entra.url("/tenant/oauth2/v2.0/token")))));
      SmtpFailure f = r.failure().orElseThrow();
      assertThat(f.kind()).isEqualTo(FailureKind.OAUTH2_TOKEN_FAILED);
      assertThat(f.detail()).contains("invalid_client", "AADSTS7000222");
      assertThat(f.hint()).contains("client id and secret");
      assertThat(r.phaseNames()).doesNotContain(ValidationPhase.CONNECT);
      assertThat(postfix.log().substring(before.length())).doesNotContain("connect from");
    }
  }

  private static void awaitHeld(String subject) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (postfix.held().stream().anyMatch(h -> h.startsWith(subject))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not held within 20 s: " + subject + "; held: " + postfix.held());
  }

  /** The mock server's URL on the literal loopback address (plain http is allowed only there). */
  private static java.net.URI literal(okhttp3.HttpUrl url) {
    return url.newBuilder().host("127.0.0.1").build().uri();
  }
}
