package dev.smarthost.core.oauth2;

import dev.smarthost.OAuth2Client;
import java.io.IOException;
import java.time.Duration;

/**
 * Where OAuth 2.0 access tokens come from. The default, {@link #clientCredentials()}, asks the
 * client's token endpoint with the client-credentials grant (RFC 6749 §4.4), which is what
 * Microsoft 365 needs for an application that sends as a mailbox. Bring your own through {@link
 * dev.smarthost.core.session.SmtpOptions.Builder#tokenSource} for another flow, e.g. a Google
 * service account:
 *
 * <pre>{@code
 * TokenSource google = (client, timeout) -> {
 *   GoogleCredentials credentials = ServiceAccountCredentials
 *       .fromStream(new ByteArrayInputStream(client.clientSecret().getBytes(UTF_8)))
 *       .createScoped(client.scope().orElse("https://mail.google.com/"))
 *       .createDelegated(mailbox);
 *   var token = credentials.refreshAccessToken();
 *   return AccessToken.of(token.getTokenValue(), token.getExpirationTime().toInstant());
 * };
 * }</pre>
 *
 * <p>The library caches each token per {@link OAuth2Client} until shortly before it expires, asks
 * once for all threads that need a new one, and asks once more when the server rejects a cached
 * token (it may have been revoked). So a source only fetches; it need not cache.
 */
@FunctionalInterface
public interface TokenSource {
  /**
   * Fetches a new access token. Called without a lock held by other callers; must return or throw
   * within the timeout.
   *
   * @param client the client from the settings
   * @param timeout how long the request may take (connect plus read)
   * @return a token
   * @throws OAuth2TokenException if the token endpoint refused (with its OAuth error code)
   * @throws IOException if the token endpoint could not be reached or answered nonsense
   */
  AccessToken fetch(OAuth2Client client, Duration timeout) throws IOException;

  /**
   * Returns the client-credentials grant: a form POST of {@code grant_type=client_credentials},
   * {@code client_id}, {@code client_secret} ({@code client_secret_post}) and {@code scope} to the
   * client's token endpoint, through the Nimbus OAuth 2.0 SDK ({@code
   * com.nimbusds:oauth2-oidc-sdk}, an optional dependency of smarthost-core; the CLI and the Spring
   * starter bring it). Without that library on the class path, every fetch fails with an {@link
   * OAuth2TokenException} that says so.
   *
   * @return the default source
   */
  static TokenSource clientCredentials() {
    return dev.smarthost.core.oauth2.ClientCredentials.source();
  }
}
