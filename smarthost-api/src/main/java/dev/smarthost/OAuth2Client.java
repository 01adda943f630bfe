package dev.smarthost;

import dev.smarthost.internal.HostNames;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An OAuth 2.0 client registered with the mail provider's authorization server: where to ask for
 * access tokens (the token endpoint), as which client (id and secret), and for which scope. The
 * library uses it with the client-credentials grant and sends the token with SASL XOAUTH2.
 * Immutable.
 *
 * <pre>{@code
 * OAuth2Client client = OAuth2Client.of(
 *     URI.create("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token"),
 *     "00000000-0000-0000-0000-000000000000", clientSecret,
 *     "https://outlook.office365.com/.default");
 * }</pre>
 *
 * <p>The token endpoint must use {@code https}; plain {@code http} is accepted only for a literal
 * loopback address ({@code 127.0.0.1}, {@code [::1]}: a token server in a test), because the client
 * secret travels in the request; not for a name such as {@code localhost} or {@code idp.localhost},
 * which the JVM resolves through the system's resolver and could go elsewhere. {@link #toString()}
 * masks the secret; {@link #equals(Object)} includes it, so a rotated secret is a change.
 */
public final class OAuth2Client {
  private final URI tokenEndpoint;
  private final String clientId;
  private final String clientSecret;
  private final @Nullable String scope;

  private OAuth2Client(
      URI tokenEndpoint, String clientId, String clientSecret, @Nullable String scope) {
    this.tokenEndpoint = tokenEndpoint;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.scope = scope;
  }

  /**
   * Returns a client.
   *
   * @param tokenEndpoint the authorization server's token endpoint, {@code https}
   * @param clientId the client (application) id
   * @param clientSecret the client secret; never logged or printed by this library
   * @param scope space-separated scopes to ask for, or empty for the server's default
   * @return the client
   * @throws InvalidSettingException naming the field at fault; never containing the secret
   */
  public static OAuth2Client of(
      URI tokenEndpoint, String clientId, String clientSecret, String scope) {
    Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(scope, "scope");
    checkEndpoint(tokenEndpoint);
    if (clientId.isBlank()) {
      throw invalid(SettingsField.OAUTH2_CLIENT_ID, "required for OAuth 2.0");
    }
    if (hasControl(clientId)) {
      throw invalid(SettingsField.OAUTH2_CLIENT_ID, "must not contain control characters");
    }
    if (clientSecret.isEmpty()) {
      throw invalid(SettingsField.OAUTH2_CLIENT_SECRET, "required for OAuth 2.0");
    }
    if (hasControl(clientSecret)) {
      throw invalid(SettingsField.OAUTH2_CLIENT_SECRET, "must not contain control characters");
    }
    if (hasControl(scope)) {
      throw invalid(SettingsField.OAUTH2_SCOPE, "must not contain control characters");
    }
    String trimmed = scope.trim();
    return new OAuth2Client(
        tokenEndpoint, clientId, clientSecret, trimmed.isEmpty() ? null : trimmed);
  }

  private static void checkEndpoint(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!uri.isAbsolute() || uri.getHost() == null || uri.isOpaque()) {
      throw invalid(SettingsField.OAUTH2_TOKEN_URL, "must be an absolute https:// URL");
    }
    if (uri.getRawUserInfo() != null) {
      throw invalid(
          SettingsField.OAUTH2_TOKEN_URL, "must not contain a user or password; use the client id");
    }
    if (uri.getRawFragment() != null) {
      throw invalid(SettingsField.OAUTH2_TOKEN_URL, "must not contain a fragment (#…)");
    }
    if (scheme.equals("https")) {
      return;
    }
    if (scheme.equals("http") && HostNames.isLoopbackLiteral(uri.getHost())) {
      return;
    }
    throw invalid(
        SettingsField.OAUTH2_TOKEN_URL,
        scheme.equals("http")
            ? "must use https (the client secret is sent to it); http only on a literal loopback"
                + " address (127.0.0.1 or [::1]; a name such as localhost is resolved, and could"
                + " point elsewhere)"
            : "must be an https:// URL, but the scheme was '" + scheme + "'");
  }

  private static boolean hasControl(String s) {
    return s.chars().anyMatch(Character::isISOControl);
  }

  private static InvalidSettingException invalid(SettingsField field, String problem) {
    return new InvalidSettingException(field, fieldName(field), problem);
  }

  private static String fieldName(SettingsField field) {
    return switch (field) {
      case OAUTH2_TOKEN_URL -> "oauth2 token URL";
      case OAUTH2_CLIENT_ID -> "oauth2 client id";
      case OAUTH2_CLIENT_SECRET -> "oauth2 client secret";
      default -> "oauth2 scope";
    };
  }

  /**
   * Returns the token endpoint.
   *
   * @return an {@code https} URI (or {@code http} on a loopback address)
   */
  public URI tokenEndpoint() {
    return tokenEndpoint;
  }

  /**
   * Returns the client id.
   *
   * @return the client (application) id
   */
  public String clientId() {
    return clientId;
  }

  /**
   * Returns the client secret. Never logged or printed by this library.
   *
   * @return the secret
   */
  public String clientSecret() {
    return clientSecret;
  }

  /**
   * Returns the scopes asked for.
   *
   * @return space-separated scopes, or empty for the server's default
   */
  public Optional<String> scope() {
    return Optional.ofNullable(scope);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof OAuth2Client that)) {
      return false;
    }
    return tokenEndpoint.equals(that.tokenEndpoint)
        && clientId.equals(that.clientId)
        && clientSecret.equals(that.clientSecret)
        && Objects.equals(scope, that.scope);
  }

  @Override
  public int hashCode() {
    return Objects.hash(tokenEndpoint, clientId, clientSecret, scope);
  }

  /** Returns the client with the secret masked. */
  @Override
  public String toString() {
    return "OAuth2Client{"
        + tokenEndpoint
        + ", clientId="
        + clientId
        + ", clientSecret=****"
        + (scope != null ? ", scope=" + scope : "")
        + "}";
  }
}
