package dev.smarthost.core.oauth2;

import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import dev.smarthost.OAuth2Client;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The client-credentials grant (RFC 6749 §4.4) with {@code client_secret_post}, as Microsoft Entra
 * ID documents it for SMTP AUTH; the HTTP exchange, form encoding and answer parsing are Nimbus'.
 * Redirects are not followed (the secret is in the body).
 */
final class NimbusClientCredentials implements TokenSource {
  /** Used when the endpoint names no lifetime (RFC 6749 only recommends {@code expires_in}). */
  private static final Duration UNKNOWN_LIFETIME = Duration.ofMinutes(5);

  @Override
  public AccessToken fetch(OAuth2Client client, Duration timeout) throws IOException {
    Scope scope = client.scope().map(Scope::parse).orElse(null);
    TokenRequest request =
        new TokenRequest.Builder(
                client.tokenEndpoint(),
                new ClientSecretPost(
                    new ClientID(client.clientId()), new Secret(client.clientSecret())),
                new ClientCredentialsGrant())
            .scope(scope)
            .build();
    HTTPRequest http = request.toHTTPRequest();
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    http.setConnectTimeout(millis);
    http.setReadTimeout(millis);
    http.setFollowRedirects(false);
    Instant asked = Instant.now();
    HTTPResponse response;
    try {
      response = http.send(new CappedSender()); // at most 64 KiB of answer
    } catch (IOException e) {
      throw new OAuth2TokenException(
          "cannot reach the token endpoint " + client.tokenEndpoint() + ": " + e, null, 0, e);
    }
    TokenResponse parsed;
    try {
      parsed = TokenResponse.parse(response);
    } catch (ParseException e) {
      throw new OAuth2TokenException(
          "the token endpoint "
              + client.tokenEndpoint()
              + " answered HTTP "
              + response.getStatusCode()
              + " without an OAuth 2.0 token or error",
          null,
          response.getStatusCode(),
          null);
    }
    if (!parsed.indicatesSuccess()) {
      ErrorObject error = parsed.toErrorResponse().getErrorObject();
      String code = error.getCode();
      throw new OAuth2TokenException(
          "the token endpoint "
              + client.tokenEndpoint()
              + " answered HTTP "
              + response.getStatusCode()
              + " "
              + (code != null ? code : "(no error code)")
              + describe(error.getDescription(), client.clientSecret()),
          code,
          response.getStatusCode(),
          null);
    }
    AccessTokenResponse ok = parsed.toSuccessResponse();
    com.nimbusds.oauth2.sdk.token.AccessToken token = ok.getTokens().getAccessToken();
    long lifetime = token.getLifetime();
    Instant expires = lifetime > 0 ? asked.plusSeconds(lifetime) : asked.plus(UNKNOWN_LIFETIME);
    try {
      return AccessToken.of(token.getValue(), expires);
    } catch (IllegalArgumentException e) {
      throw new OAuth2TokenException(
          "the token endpoint " + client.tokenEndpoint() + " answered an unusable access token",
          null,
          response.getStatusCode(),
          null);
    }
  }

  /** The longest part of a token endpoint's own text that is passed on. */
  static final int MAX_DESCRIPTION = 120;

  /**
   * The endpoint's description as a short, plain sentence: third-party text, shown on the settings
   * page and in logs, so without the secret, control or formatting characters ({@code <>"'`&},
   * which a page or a terminal could interpret), whitespace collapsed, at most {@link
   * #MAX_DESCRIPTION} characters.
   */
  static String describe(@Nullable String description, String secret) {
    if (description == null || description.isBlank()) {
      return "";
    }
    String text =
        description
            .replace(secret, "****")
            .replaceAll("[\\p{Cntrl}\\p{Cf}<>\"'`&]", " ")
            .replaceAll("\\s+", " ")
            .strip();
    return ": "
        + (text.length() > MAX_DESCRIPTION ? text.substring(0, MAX_DESCRIPTION) + "…" : text);
  }
}
