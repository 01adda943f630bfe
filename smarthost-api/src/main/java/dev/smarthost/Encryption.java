package dev.smarthost;

import java.util.Locale;

/** How the connection to the smarthost is protected. */
public enum Encryption {
  /** Clear text, usually on port 25. No TLS at all, not even opportunistic STARTTLS. */
  NONE("none", 25),
  /**
   * Connect in clear text and upgrade with {@code STARTTLS}, usually on port 587. Required: a
   * server that does not offer STARTTLS is an error, never a silent fall-back to clear text.
   */
  STARTTLS("starttls", 587),
  /** Implicit TLS ("SMTPS"): TLS from the first byte, usually on port 465. */
  TLS("tls", 465);

  private final String configValue;
  private final int defaultPort;

  Encryption(String configValue, int defaultPort) {
    this.configValue = configValue;
    this.defaultPort = defaultPort;
  }

  /**
   * Returns the port used when the settings name none.
   *
   * @return 25 for {@link #NONE}, 587 for {@link #STARTTLS}, 465 for {@link #TLS}
   */
  public int defaultPort() {
    return defaultPort;
  }

  /**
   * Returns the spelling used in the cluster's env file and Redis hash.
   *
   * @return {@code none}, {@code starttls} or {@code tls}
   */
  public String configValue() {
    return configValue;
  }

  /**
   * Returns whether the connection is encrypted before any credentials or mail are sent.
   *
   * @return true for {@link #STARTTLS} and {@link #TLS}
   */
  public boolean usesTls() {
    return this != NONE;
  }

  /**
   * Parses the cluster's spelling, ignoring case.
   *
   * @param value {@code none}, {@code starttls} or {@code tls}
   * @return the matching constant
   * @throws InvalidSettingException naming the accepted values if {@code value} is none of them
   */
  public static Encryption fromConfigValue(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    for (Encryption e : values()) {
      if (e.configValue.equals(lower)) {
        return e;
      }
    }
    throw new InvalidSettingException(
        SettingsField.ENCRYPTION,
        "encryption",
        "'" + value + "' is not one of none, starttls, tls");
  }
}
