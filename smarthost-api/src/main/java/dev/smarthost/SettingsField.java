package dev.smarthost;

/**
 * The fields of the smarthost settings, as the administrator's form has them. {@link SettingsCodec}
 * spells them for the env file ({@code SMTP_HOST}) and for the cluster's Redis hash ({@code host});
 * {@link SmarthostConfigurationException#field()} and {@link InvalidSettingException#field()} name
 * the one at fault, so that nobody needs to read a message.
 */
public enum SettingsField {
  /** Whether e-mail is switched on. */
  ENABLED,
  /** The server's host name or IP address. */
  HOST,
  /** The server's port. */
  PORT,
  /** None, STARTTLS or implicit TLS. */
  ENCRYPTION,
  /** The "verify TLS certificate" switch. */
  VERIFY_TLS,
  /** The user name. */
  USERNAME,
  /** The password (never shown in any message). */
  PASSWORD,
  /** The OAuth 2.0 token endpoint ({@link OAuth2Client#tokenEndpoint()}). */
  OAUTH2_TOKEN_URL,
  /** The OAuth 2.0 client id. */
  OAUTH2_CLIENT_ID,
  /** The OAuth 2.0 client secret (never shown in any message). */
  OAUTH2_CLIENT_SECRET,
  /** The OAuth 2.0 scopes, space-separated. */
  OAUTH2_SCOPE;

  /**
   * Returns whether this field belongs to the credentials (user name, password or OAuth 2.0
   * client), which a form shows as one group.
   *
   * @return true for {@link #USERNAME}, {@link #PASSWORD} and the {@code OAUTH2_*} fields
   */
  public boolean isCredentials() {
    return this == USERNAME || this == PASSWORD || isOAuth2();
  }

  /**
   * Returns whether this field describes the OAuth 2.0 client.
   *
   * @return true for the {@code OAUTH2_*} fields
   */
  public boolean isOAuth2() {
    return this == OAUTH2_TOKEN_URL
        || this == OAUTH2_CLIENT_ID
        || this == OAUTH2_CLIENT_SECRET
        || this == OAUTH2_SCOPE;
  }
}
