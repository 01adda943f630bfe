package dev.smarthost.core.oauth2;

import dev.smarthost.InvalidSettingException;
import dev.smarthost.OAuth2Client;
import java.net.URI;

/** Ready-made {@link OAuth2Client}s for the providers that administrators use. */
public final class OAuth2Clients {
  /** The scope Exchange Online needs for SMTP AUTH with an application's token. */
  public static final String MICROSOFT365_SCOPE = "https://outlook.office365.com/.default";

  /** Microsoft 365's SMTP AUTH submission host (port 587, STARTTLS). */
  public static final String MICROSOFT365_SMTP_HOST = "smtp.office365.com";

  private OAuth2Clients() {}

  /**
   * Returns the client of an app registration in Microsoft Entra ID (Azure AD) for Exchange Online:
   * token endpoint {@code https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token}, scope
   * {@value #MICROSOFT365_SCOPE}. The app needs the {@code SMTP.SendAsApp} application permission,
   * a service principal registered in Exchange, and permission on the mailbox it sends as.
   *
   * @param tenant the directory (tenant) id or a verified domain such as {@code
   *     contoso.onmicrosoft.com}
   * @param clientId the application (client) id
   * @param clientSecret the client secret
   * @return the client
   * @throws IllegalArgumentException if the tenant is not an id or domain
   * @throws InvalidSettingException naming the field at fault
   */
  public static OAuth2Client microsoft365(String tenant, String clientId, String clientSecret) {
    return OAuth2Client.of(
        microsoft365TokenEndpoint(tenant), clientId, clientSecret, MICROSOFT365_SCOPE);
  }

  /**
   * Returns the token endpoint of a Microsoft Entra ID tenant.
   *
   * @param tenant the directory (tenant) id or a verified domain
   * @return {@code https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token}
   * @throws IllegalArgumentException if the tenant is not an id or domain
   */
  public static URI microsoft365TokenEndpoint(String tenant) {
    if (tenant.isEmpty()
        || !tenant.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '.')
        || tenant.chars().anyMatch(c -> c > 0x7f)) {
      throw new IllegalArgumentException(
          "tenant: must be a directory (tenant) id or a domain: ASCII letters, digits, '-' and '.'");
    }
    return URI.create("https://login.microsoftonline.com/" + tenant + "/oauth2/v2.0/token");
  }
}
