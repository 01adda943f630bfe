package dev.smarthost.cli;

import dev.smarthost.InvalidSettingException;
import dev.smarthost.OAuth2Client;
import dev.smarthost.core.oauth2.OAuth2Clients;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The OAuth 2.0 client for an XOAUTH2 login: {@code --oauth2-token-url}, {@code
 * --oauth2-client-id}, the secret from {@code --oauth2-client-secret-file} or {@code -env} (never
 * as an argument), {@code --oauth2-scope}, or {@code --microsoft365-tenant} for Microsoft 365's
 * endpoint and scope. The mailbox is {@code --username}.
 */
final class OAuth2Options {
  @Option(
      names = "--oauth2-token-url",
      paramLabel = "URL",
      description = "OAuth 2.0 token endpoint (https) for an XOAUTH2 login as --username.")
  @Nullable String tokenUrl;

  @Option(
      names = "--microsoft365-tenant",
      paramLabel = "TENANT",
      description =
          "Microsoft 365: tenant id or domain; sets the token URL and the scope"
              + " https://outlook.office365.com/.default.")
  @Nullable String tenant;

  @Option(names = "--oauth2-client-id", paramLabel = "ID", description = "OAuth 2.0 client id.")
  @Nullable String clientId;

  @Option(
      names = "--oauth2-client-secret-file",
      paramLabel = "FILE",
      description = "Read the OAuth 2.0 client secret from the first line of FILE.")
  @Nullable Path secretFile;

  @Option(
      names = "--oauth2-client-secret-env",
      paramLabel = "VAR",
      description = "Read the OAuth 2.0 client secret from environment variable VAR.")
  @Nullable String secretEnv;

  @Option(names = "--oauth2-client-secret", hidden = true, paramLabel = "SECRET")
  @Nullable String forbiddenSecret;

  @Option(
      names = "--oauth2-scope",
      paramLabel = "SCOPE",
      description = "Space-separated scopes to ask for (default: the server's).")
  @Nullable String scope;

  /** Whether any of the options was given. */
  boolean given() {
    return tokenUrl != null
        || tenant != null
        || clientId != null
        || secretFile != null
        || secretEnv != null
        || forbiddenSecret != null
        || scope != null;
  }

  /**
   * The client, or null if no option was given.
   *
   * @throws UsageException naming the option at fault
   */
  @Nullable OAuth2Client client() {
    if (forbiddenSecret != null) {
      throw new UsageException(
          "--oauth2-client-secret: never pass a secret as an argument (other users see it in ps);"
              + " use --oauth2-client-secret-file or --oauth2-client-secret-env");
    }
    if (!given()) {
      return null;
    }
    if (tokenUrl != null && tenant != null) {
      throw new UsageException("--oauth2-token-url and --microsoft365-tenant: use one");
    }
    if (tokenUrl == null && tenant == null) {
      throw new UsageException(
          "--oauth2-token-url or --microsoft365-tenant: required with the other OAuth 2.0 options");
    }
    if (clientId == null) {
      throw new UsageException("--oauth2-client-id: required for OAuth 2.0");
    }
    String secret = SecretOption.read("--oauth2-client-secret", secretFile, secretEnv);
    if (secret == null) {
      throw new UsageException(
          "--oauth2-client-secret-file or --oauth2-client-secret-env: required for OAuth 2.0");
    }
    URI endpoint;
    try {
      endpoint =
          tenant != null ? OAuth2Clients.microsoft365TokenEndpoint(tenant) : new URI(tokenUrl);
    } catch (URISyntaxException e) {
      throw new UsageException("--oauth2-token-url: not a URL");
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "--microsoft365-tenant: " + String.valueOf(e.getMessage()).replaceFirst("^tenant: ", ""));
    }
    String scopes = scope != null ? scope : tenant != null ? OAuth2Clients.MICROSOFT365_SCOPE : "";
    try {
      return OAuth2Client.of(endpoint, clientId, secret, scopes);
    } catch (InvalidSettingException e) {
      throw new UsageException(option(e) + ": " + e.problem());
    }
  }

  private static String option(InvalidSettingException e) {
    return switch (e.field()) {
      case OAUTH2_TOKEN_URL -> "--oauth2-token-url";
      case OAUTH2_CLIENT_ID -> "--oauth2-client-id";
      case OAUTH2_CLIENT_SECRET -> "--oauth2-client-secret-file/-env";
      default -> "--oauth2-scope";
    };
  }
}
