package dev.smarthost;

import dev.smarthost.internal.HostNames;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The smarthost an administrator configured: where to connect, how to protect the connection and
 * which credentials to present. Immutable and thread-safe; build one with {@link #builder()}.
 *
 * <pre>{@code
 * SmarthostSettings s = SmarthostSettings.builder()
 *     .host("smtp.example.org").port(587)
 *     .encryption(Encryption.STARTTLS).verifyTls(true)
 *     .credentials("app", "s3cret")
 *     .build();
 * }</pre>
 *
 * <p>{@link #toString()} masks the password; {@link #equals(Object)} includes it, so a changed
 * password counts as a change.
 */
public final class SmarthostSettings {
  /** The encryption used when the builder is given none. */
  public static final Encryption DEFAULT_ENCRYPTION = Encryption.STARTTLS;

  private final String host;
  private final int port;
  private final Encryption encryption;
  private final boolean verifyTls;
  private final @Nullable String username;
  private final @Nullable String password;

  private SmarthostSettings(Builder b) {
    this.host = Objects.requireNonNull(b.host);
    this.encryption = b.encryption;
    this.port = b.port != 0 ? b.port : b.encryption.defaultPort();
    this.verifyTls = b.verifyTls;
    this.username = b.username;
    this.password = b.password;
  }

  /**
   * Starts building settings. Only the host is required; the port defaults to the encryption's
   * {@link Encryption#defaultPort()}, encryption to {@link #DEFAULT_ENCRYPTION} and certificate
   * verification to on.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Validates and normalizes a host the way {@link Builder#host} does: lower case, punycode for an
   * internationalized name, an IPv6 literal without brackets.
   *
   * @param host a DNS name, an IPv4 address, or an IPv6 address with or without brackets
   * @return the normalized host
   * @throws InvalidSettingException naming {@link SettingsField#HOST} if it is not valid
   */
  public static String normalizeHost(String host) {
    try {
      return HostNames.normalize(Objects.requireNonNull(host, "host"));
    } catch (HostNames.InvalidHost e) {
      throw new InvalidSettingException(SettingsField.HOST, "host", e.problem);
    }
  }

  /**
   * Returns {@code host:port} with an IPv6 literal in brackets, as {@link #authority()} does.
   *
   * @param host a host, normalized or not
   * @param port the port
   * @return for example {@code [2001:db8::25]:587}
   * @throws InvalidSettingException naming {@link SettingsField#HOST} if the host is not valid
   */
  public static String authority(String host, int port) {
    return HostNames.bracketed(normalizeHost(host)) + ":" + port;
  }

  /**
   * Returns a builder holding these settings, to derive changed copies.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.host = host;
    b.port = port;
    b.encryption = encryption;
    b.verifyTls = verifyTls;
    b.username = username;
    b.password = password;
    return b;
  }

  /**
   * Returns the host: a lower-case DNS name (internationalized names as punycode), an IPv4 address,
   * or an IPv6 address without brackets.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * Returns the TCP port.
   *
   * @return 1–65535
   */
  public int port() {
    return port;
  }

  /**
   * Returns {@code host:port}, with the host in brackets if it is an IPv6 address.
   *
   * @return for example {@code smtp.example.org:587} or {@code [::1]:25}
   */
  public String authority() {
    return HostNames.bracketed(host) + ":" + port;
  }

  /**
   * Returns how the connection is protected.
   *
   * @return the encryption
   */
  public Encryption encryption() {
    return encryption;
  }

  /**
   * Returns whether the server's certificate chain and host name are checked. Has no effect with
   * {@link Encryption#NONE}.
   *
   * @return true unless the administrator switched verification off
   */
  public boolean verifyTls() {
    return verifyTls;
  }

  /**
   * Returns the user name to authenticate with.
   *
   * @return the user name, present exactly when {@link #password()} is
   */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /**
   * Returns the password to authenticate with. Never logged or printed by this library.
   *
   * @return the password, present exactly when {@link #username()} is
   */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /**
   * Returns whether credentials are set.
   *
   * @return true if {@link #username()} and {@link #password()} are present
   */
  public boolean hasCredentials() {
    return username != null;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SmarthostSettings)) {
      return false;
    }
    SmarthostSettings that = (SmarthostSettings) o;
    return port == that.port
        && verifyTls == that.verifyTls
        && host.equals(that.host)
        && encryption == that.encryption
        && Objects.equals(username, that.username)
        && Objects.equals(password, that.password);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, encryption, verifyTls, username, password);
  }

  /** Returns the settings with the password masked. */
  @Override
  public String toString() {
    return "SmarthostSettings{"
        + authority()
        + ", encryption="
        + encryption
        + ", verifyTls="
        + verifyTls
        + (username != null ? ", username=" + username + ", password=****" : "")
        + "}";
  }

  /** Builds {@link SmarthostSettings}. Each setter checks its argument at once. */
  public static final class Builder {
    private @Nullable String host;
    private int port;
    private Encryption encryption = DEFAULT_ENCRYPTION;
    private boolean verifyTls = true;
    private @Nullable String username;
    private @Nullable String password;

    private Builder() {}

    /**
     * Sets the host: a DNS name (internationalized names are converted to punycode), an IPv4
     * address, or an IPv6 address with or without brackets.
     *
     * @param host the host
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the host is empty, contains spaces or control characters,
     *     or is not a valid name or address
     */
    public Builder host(String host) {
      this.host = normalizeHost(host);
      return this;
    }

    /**
     * Sets the port. Without a call the encryption's default port is used.
     *
     * @param port 1–65535
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the port is out of range
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new InvalidSettingException(
            SettingsField.PORT, "port", "must be 1–65535, but was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets how the connection is protected.
     *
     * @param encryption the encryption
     * @return this builder (for chaining)
     */
    public Builder encryption(Encryption encryption) {
      this.encryption = Objects.requireNonNull(encryption, "encryption");
      return this;
    }

    /**
     * Sets whether the certificate chain and host name are verified (default true).
     *
     * @param verifyTls false only if the administrator switched verification off
     * @return this builder (for chaining)
     */
    public Builder verifyTls(boolean verifyTls) {
      this.verifyTls = verifyTls;
      return this;
    }

    /**
     * Sets user name and password together. Both empty means no credentials.
     *
     * @param username the user name; no control characters
     * @param password the password; any Unicode
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if exactly one of them is empty, or the user name contains
     *     control characters; the message never contains the password
     */
    public Builder credentials(String username, String password) {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (username.isEmpty() && password.isEmpty()) {
        return noCredentials();
      }
      if (username.isEmpty()) {
        throw new InvalidSettingException(
            SettingsField.USERNAME, "username", "must be set when a password is set");
      }
      if (password.isEmpty()) {
        throw new InvalidSettingException(
            SettingsField.PASSWORD, "password", "must be set when a username is set");
      }
      if (username.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidSettingException(
            SettingsField.USERNAME, "username", "must not contain control characters");
      }
      this.username = username;
      this.password = password;
      return this;
    }

    /**
     * Removes credentials: connect without authenticating.
     *
     * @return this builder (for chaining)
     */
    public Builder noCredentials() {
      this.username = null;
      this.password = null;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     * @throws IllegalStateException if no host was set
     */
    public SmarthostSettings build() {
      if (host == null) {
        throw new IllegalStateException("host: required");
      }
      return new SmarthostSettings(this);
    }
  }
}
