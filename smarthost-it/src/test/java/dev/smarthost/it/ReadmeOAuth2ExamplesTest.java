package dev.smarthost.it;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.JWTBearerGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import dev.smarthost.Encryption;
import dev.smarthost.OAuth2Client;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.oauth2.AccessToken;
import dev.smarthost.core.oauth2.OAuth2TokenException;
import dev.smarthost.core.oauth2.TokenSource;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's OAuth 2.0 examples, verbatim between the markers (checked by ReadmeExamplesTest),
 * run against a real OAuth 2.0 server and the testkit's XOAUTH2 check.
 */
@Timeout(60)
class ReadmeOAuth2ExamplesTest {
  static MimeMessage message() throws Exception {
    MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
    message.setFrom(new InternetAddress("notifications@contoso.com"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
    message.setSubject("Disk almost full");
    message.setText("Only 2 % left on /var.");
    return message;
  }

  @Test
  void oauth2QuickStart() throws Exception {
    try (OAuth2Server oauth = new OAuth2Server();
        SmarthostServer server =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireOAuth2("notifications@contoso.com", oauth.verifier())
                .start()) {
      String host = server.host();
      int port = server.port();
      SmtpOptions options = server.smtpOptions();
      MimeMessage message = message();
      // in production: OAuth2Clients.microsoft365(tenant, clientId, clientSecret)
      OAuth2Client client = oauth.client();

      // README: oauth
      SmarthostSettings settings =
          SmarthostSettings.builder()
              .host(host) // smtp.office365.com
              .port(port) // 587
              .encryption(Encryption.STARTTLS)
              .oauth2("notifications@contoso.com", client) // the mailbox that sends
              .build();
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(settings)).options(options).build()) {
        mailer.send(message); // fetches a token, logs in with XOAUTH2, keeps the token for reuse
      }
      // README: end

      assertThat(server).received(1).message(0).hasSubject("Disk almost full").wasEncrypted();
      assertThat(oauth.tokenRequests()).hasSize(1);
    }
  }

  @Test
  void tokenSourceQuickStart() throws Exception {
    try (OAuth2Server oauth = new OAuth2Server();
        SmarthostServer server =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireOAuth2("notifications@contoso.com", oauth.verifier())
                .start()) {
      RSAKey serviceAccountKey = new RSAKeyGenerator(2048).generate();
      SmtpOptions options = server.smtpOptions();
      // Google: token URL https://oauth2.googleapis.com/token, client id = the service account
      OAuth2Client client =
          OAuth2Client.of(
              oauth.tokenEndpoint(),
              "mailer@project.iam.gserviceaccount.com",
              "unused: the key signs",
              "https://mail.google.com/");
      SmarthostSettings settings =
          server.settings().toBuilder().oauth2("notifications@contoso.com", client).build();

      // README: token source
      TokenSource serviceAccount =
          (c, timeout) -> {
            Instant now = Instant.now();
            JWTClaimsSet claims =
                new JWTClaimsSet.Builder()
                    .issuer(c.clientId())
                    .subject("notifications@contoso.com") // domain-wide delegation
                    .audience(c.tokenEndpoint().toString())
                    .claim("scope", c.scope().orElse("https://mail.google.com/"))
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(600)))
                    .build();
            SignedJWT assertion = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            try {
              assertion.sign(new RSASSASigner(serviceAccountKey));
              HTTPRequest request =
                  new TokenRequest.Builder(c.tokenEndpoint(), new JWTBearerGrant(assertion))
                      .build()
                      .toHTTPRequest();
              request.setConnectTimeout((int) timeout.toMillis());
              request.setReadTimeout((int) timeout.toMillis());
              HTTPResponse response = request.send();
              TokenResponse answer = TokenResponse.parse(response);
              if (!answer.indicatesSuccess()) {
                TokenErrorResponse error = answer.toErrorResponse();
                throw new OAuth2TokenException(
                    "service account refused",
                    error.getErrorObject().getCode(),
                    response.getStatusCode(),
                    null);
              }
              var token = answer.toSuccessResponse().getTokens().getAccessToken();
              return AccessToken.of(token.getValue(), now.plusSeconds(token.getLifetime()));
            } catch (JOSEException | ParseException e) {
              throw new OAuth2TokenException("service account: " + e.getMessage(), null, 0, e);
            }
          };
      SmtpOptions withServiceAccount = options.toBuilder().tokenSource(serviceAccount).build();
      // README: end

      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(settings))
              .options(withServiceAccount)
              .build()) {
        mailer.send(message());
      }
      assertThat(server).received(1).message(0).hasSubject("Disk almost full");
      var requests = oauth.tokenRequests();
      assertThat(requests).hasSize(1);
      assertThat(requests.get(0).getBody().readUtf8())
          .contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer");
    }
  }
}
