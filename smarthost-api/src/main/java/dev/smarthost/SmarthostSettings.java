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
 * <p>Instead of a password, the user can log in with OAuth 2.0 ({@link Builder#oauth2}): then
 * {@link #authentication()} is {@link Authentication#OAUTH2}, {@link #password()} is empty and
 * {@link #oauth2Client()} says where the library gets access tokens.
 *
 * <p>{@link #toString()} masks the password and the client secret; {@link #equals(Object)} includes
 * them, so a changed password or secret counts as a change.
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
  private final @Nullable OAuth2Client oauth2Client;

  private SmarthostSettings(Builder b) {
    this.host = Objects.requireNonNull(b.host);
    this.encryption = b.encryption;
    this.port = b.port != 0 ? b.port : b.encryption.defaultPort();
    this.verifyTls = b.verifyTls;
    this.username = b.username;
    this.password = b.password;
    this.oauth2Client = b.oauth2Client;
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
    b.oauth2Client = oauth2Client;
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
   * Returns how the library logs in.
   *
   * @return {@link Authentication#NONE} without a user name, {@link Authentication#OAUTH2} with an
   *     {@link #oauth2Client()}, {@link Authentication#PASSWORD} otherwise
   */
  public Authentication authentication() {
    if (username == null) {
      return Authentication.NONE;
    }
    return oauth2Client != null ? Authentication.OAUTH2 : Authentication.PASSWORD;
  }

  /**
   * Returns the user name to authenticate with (with OAuth 2.0: the mailbox that sends).
   *
   * @return the user name, present exactly when {@link #authentication()} is not {@link
   *     Authentication#NONE}
   */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /**
   * Returns the password to authenticate with. Never logged or printed by this library.
   *
   * @return the password, present exactly when {@link #authentication()} is {@link
   *     Authentication#PASSWORD}
   */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /**
   * Returns the OAuth 2.0 client that access tokens come from.
   *
   * @return the client, present exactly when {@link #authentication()} is {@link
   *     Authentication#OAUTH2}
   */
  public Optional<OAuth2Client> oauth2Client() {
    return Optional.ofNullable(oauth2Client);
  }

  /**
   * Returns whether the library logs in, with a password or OAuth 2.0.
   *
   * @return true unless {@link #authentication()} is {@link Authentication#NONE}
   */
  public boolean hasCredentials() {
    return username != null;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SmarthostSettings that)) {
      return false;
    }
    return port == that.port
        && verifyTls == that.verifyTls
        && host.equals(that.host)
        && encryption == that.encryption
        && Objects.equals(username, that.username)
        && Objects.equals(password, that.password)
        && Objects.equals(oauth2Client, that.oauth2Client);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, encryption, verifyTls, username, password, oauth2Client);
  }

  /** Returns the settings with the password and the client secret masked. */
  @Override
  public String toString() {
    return "SmarthostSettings{"
        + authority()
        + ", encryption="
        + encryption
        + ", verifyTls="
        + verifyTls
        + (username == null ? "" : ", username=" + username)
        + (password == null ? "" : ", password=****")
        + (oauth2Client == null ? "" : ", oauth2=" + oauth2Client)
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
    private @Nullable OAuth2Client oauth2Client;

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
      checkUsername(username);
      this.username = username;
      this.password = password;
      this.oauth2Client = null;
      return this;
    }

    /**
     * Logs in with OAuth 2.0 instead of a password: the library gets access tokens from the client
     * (client-credentials grant), caches and refreshes them, and sends them with SASL XOAUTH2.
     * Replaces a password set before.
     *
     * @param username the mailbox that sends, e.g. {@code notifications@contoso.com}
     * @param client where the access tokens come from
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the user name is empty or contains control characters
     */
    public Builder oauth2(String username, OAuth2Client client) {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(client, "client");
      if (username.isEmpty()) {
        throw new InvalidSettingException(
            SettingsField.USERNAME, "username", "must be set for OAuth 2.0 (the mailbox)");
      }
      checkUsername(username);
      this.username = username;
      this.password = null;
      this.oauth2Client = client;
      return this;
    }

    private static void checkUsername(String username) {
      if (username.chars().anyMatch(Character::isISOControl)) {
        throw new InvalidSettingException(
            SettingsField.USERNAME, "username", "must not contain control characters");
      }
    }

    /**
     * Removes credentials: connect without authenticating.
     *
     * @return this builder (for chaining)
     */
    public Builder noCredentials() {
      this.username = null;
      this.password = null;
      this.oauth2Client = null;
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
