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
  PASSWORD;

  /**
   * Returns whether this field belongs to the credentials (user name or password), which a form
   * shows as one group.
   *
   * @return true for {@link #USERNAME} and {@link #PASSWORD}
   */
  public boolean isCredentials() {
    return this == USERNAME || this == PASSWORD;
  }
}
