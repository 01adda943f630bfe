package dev.smarthost.core.session;

import dev.smarthost.core.internal.Checks;
import dev.smarthost.core.internal.TlsSocketFactories;
import dev.smarthost.core.internal.TokenCache;
import dev.smarthost.core.oauth2.TokenSource;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * How this application talks to the smarthost, independent of which smarthost the administrator
 * chose: timeouts, the EHLO name, which certificates to trust and the TLS protocols. Immutable;
 * start from {@link #defaults()} or {@link #builder()}.
 *
 * <pre>{@code
 * SmtpOptions o = SmtpOptions.builder()
 *     .trustStore(keyStore)
 *     .connectTimeout(Duration.ofSeconds(10))
 *     .readTimeout(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 */
public final class SmtpOptions {
  /** Default time to wait for the TCP connection: 10 s. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** Default time to wait for each server reply: 30 s. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /** Default time a single write may block: 30 s. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

  /** Default SASL mechanisms for a password login, most preferred first. */
  public static final List<String> DEFAULT_AUTH_MECHANISMS = List.of("PLAIN", "LOGIN");

  /** TLS protocols enabled by default, strongest first. */
  public static final List<String> DEFAULT_TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /**
   * The system property that, set to {@code true}, makes {@link #debug()} default to true: the SMTP
   * conversation of every session is logged without a code change (authentication masked).
   */
  public static final String DEBUG_PROPERTY = "smarthost.debug";

  private static final SmtpOptions DEFAULTS = new Builder().build();

  /**
   * Everything that makes two options equal: the values, and the trust material and token cache by
   * identity (neither {@code KeyStore}, {@code SSLContext} nor a cache compares by content).
   */
  private record Values(
      Duration connectTimeout,
      Duration readTimeout,
      Duration writeTimeout,
      @Nullable String ehloName,
      @Nullable KeyStore trustStore,
      @Nullable SSLContext sslContext,
      List<String> tlsProtocols,
      boolean debug,
      boolean pipelining,
      boolean chunking,
      List<String> authMechanisms,
      TokenCache tokenCache) {}

  private final Values v;
  private final TlsSocketFactories socketFactories;

  private SmtpOptions(Builder b) {
    this.v =
        new Values(
            b.connectTimeout,
            b.readTimeout,
            b.writeTimeout,
            b.ehloName,
            b.trustStore,
            b.sslContext,
            b.tlsProtocols,
            b.debug,
            b.pipelining,
            b.chunking,
            b.authMechanisms,
            b.tokenCache);
    this.socketFactories = new TlsSocketFactories(b.trustStore, b.sslContext, b.tlsProtocols);
  }

  /**
   * Returns the defaults: 10 s connect, 30 s read and write timeouts, the JDK's trusted
   * certificates, TLS 1.3 and 1.2, no debug output (unless the system property {@value
   * #DEBUG_PROPERTY} was {@code true} when this class was loaded).
   *
   * @return the default options
   */
  public static SmtpOptions defaults() {
    return DEFAULTS;
  }

  /**
   * Starts building options from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these options.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.connectTimeout = v.connectTimeout();
    b.readTimeout = v.readTimeout();
    b.writeTimeout = v.writeTimeout();
    b.ehloName = v.ehloName();
    b.trustStore = v.trustStore();
    b.sslContext = v.sslContext();
    b.tlsProtocols = v.tlsProtocols();
    b.debug = v.debug();
    b.pipelining = v.pipelining();
    b.chunking = v.chunking();
    b.authMechanisms = v.authMechanisms();
    b.tokenCache = v.tokenCache();
    return b;
  }

  /**
   * Returns how long to wait for the TCP connection.
   *
   * @return a positive duration
   */
  public Duration connectTimeout() {
    return v.connectTimeout();
  }

  /**
   * Returns how long to wait for each server reply.
   *
   * @return a positive duration
   */
  public Duration readTimeout() {
    return v.readTimeout();
  }

  /**
   * Returns how long a single write to the server may block.
   *
   * @return a positive duration
   */
  public Duration writeTimeout() {
    return v.writeTimeout();
  }

  /**
   * Returns the name this client announces in {@code EHLO}.
   *
   * @return the name set on the builder, or else this machine's host name from the {@code HOSTNAME}
   *     environment variable, or else {@code localhost}; never a DNS lookup
   */
  public String ehloName() {
    return v.ehloName() != null ? v.ehloName() : OptionChecks.DEFAULT_EHLO_NAME;
  }

  /**
   * Returns the trust store that verifies server certificates, if one was set.
   *
   * @return the trust store; empty means the {@link #sslContext()} or the JDK's default trust
   */
  public Optional<KeyStore> trustStore() {
    return Optional.ofNullable(v.trustStore());
  }

  /**
   * Returns the TLS context that verifies server certificates, if one was set.
   *
   * @return the context; empty means the {@link #trustStore()} or the JDK's default trust
   */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(v.sslContext());
  }

  /**
   * Returns the TLS protocols offered to the server.
   *
   * @return protocol names such as {@code TLSv1.3}
   */
  public List<String> tlsProtocols() {
    return v.tlsProtocols();
  }

  /**
   * Returns whether the SMTP conversation is logged at DEBUG through SLF4J (logger {@code
   * dev.smarthost.smtp}), with authentication masked.
   *
   * @return true to log the conversation
   */
  public boolean debug() {
    return v.debug();
  }

  /**
   * Returns whether a message is sent with RFC 2920 PIPELINING when the server offers it: MAIL
   * FROM, every RCPT TO and the message command go out together and the replies are read after.
   *
   * @return true (the default) to pipeline
   */
  public boolean pipelining() {
    return v.pipelining();
  }

  /**
   * Returns whether the message is sent with RFC 3030 {@code BDAT} when the server offers CHUNKING,
   * instead of DATA.
   *
   * @return true (the default) to use BDAT
   */
  public boolean chunking() {
    return v.chunking();
  }

  /**
   * Returns the SASL mechanisms for a password login, most preferred first; the first one the
   * server offers is used.
   *
   * @return {@code [PLAIN, LOGIN]} by default
   */
  public List<String> authMechanisms() {
    return v.authMechanisms();
  }

  /**
   * Returns where OAuth 2.0 access tokens come from.
   *
   * @return the source set with {@link Builder#tokenSource}, or {@link
   *     TokenSource#clientCredentials()}
   */
  public TokenSource tokenSource() {
    return v.tokenCache().source();
  }

  TokenCache tokenCache() {
    return v.tokenCache();
  }

  /** A token request: the longer of the connect and read timeouts, for each of the two. */
  Duration tokenTimeout() {
    return v.connectTimeout().compareTo(v.readTimeout()) > 0 ? v.connectTimeout() : v.readTimeout();
  }

  SSLSocketFactory socketFactory(boolean verifyTls) {
    return socketFactories.get(verifyTls);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SmtpOptions that && v.equals(that.v);
  }

  @Override
  public int hashCode() {
    return v.hashCode();
  }

  @Override
  public String toString() {
    return "SmtpOptions{connectTimeout="
        + v.connectTimeout()
        + ", readTimeout="
        + v.readTimeout()
        + ", writeTimeout="
        + v.writeTimeout()
        + ", ehloName="
        + ehloName()
        + ", trust="
        + (v.trustStore() != null
            ? "trustStore"
            : v.sslContext() != null ? "sslContext" : "jdk-default")
        + ", tlsProtocols="
        + v.tlsProtocols()
        + (v.debug() ? ", debug" : "")
        + (v.pipelining() ? "" : ", no pipelining")
        + (v.chunking() ? "" : ", no chunking")
        + (v.authMechanisms().equals(DEFAULT_AUTH_MECHANISMS) ? "" : ", auth=" + v.authMechanisms())
        + (v.tokenCache() != TokenCache.defaultCache()
            ? ", tokenSource=" + v.tokenCache().source()
            : "")
        + "}";
  }

  /** Builds {@link SmtpOptions}. Each setter checks its argument at once. */
  public static final class Builder {
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private @Nullable String ehloName;
    private @Nullable KeyStore trustStore;
    private @Nullable SSLContext sslContext;
    private List<String> tlsProtocols = DEFAULT_TLS_PROTOCOLS;
    private boolean debug = Boolean.getBoolean(DEBUG_PROPERTY);
    private boolean pipelining = true;
    private boolean chunking = true;
    private List<String> authMechanisms = DEFAULT_AUTH_MECHANISMS;
    private TokenCache tokenCache = TokenCache.defaultCache();

    private Builder() {}

    /**
     * Sets how long to wait for the TCP connection (default 10 s).
     *
     * @param timeout at least 1 ms, at most {@link Integer#MAX_VALUE} milliseconds
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the timeout is zero, negative or too large
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = Checks.socketTimeout("connectTimeout", timeout);
      return this;
    }

    /**
     * Sets how long to wait for each server reply (default 30 s).
     *
     * @param timeout at least 1 ms, at most {@link Integer#MAX_VALUE} milliseconds
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the timeout is zero, negative or too large
     */
    public Builder readTimeout(Duration timeout) {
      this.readTimeout = Checks.socketTimeout("readTimeout", timeout);
      return this;
    }

    /**
     * Sets how long a single write may block (default 30 s).
     *
     * @param timeout at least 1 ms, at most {@link Integer#MAX_VALUE} milliseconds
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the timeout is zero, negative or too large
     */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = Checks.socketTimeout("writeTimeout", timeout);
      return this;
    }

    /**
     * Sets the name announced in {@code EHLO}.
     *
     * @param ehloName a host name or address literal such as {@code [192.0.2.1]}
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the name is empty or contains spaces or control
     *     characters
     */
    public Builder ehloName(String ehloName) {
      this.ehloName = OptionChecks.ehloName(ehloName);
      return this;
    }

    /**
     * Trusts the certificates in this key store instead of the JDK's defaults. Host names are still
     * checked.
     *
     * @param trustStore trusted certificates, e.g. the testkit server's CA
     * @return this builder (for chaining)
     */
    public Builder trustStore(KeyStore trustStore) {
      this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
      return this;
    }

    /**
     * Trusts the CA certificates of a PEM file (one or more {@code BEGIN CERTIFICATE} blocks)
     * instead of the JDK's defaults, e.g. the cluster's private CA. Host names are still checked.
     *
     * @param pemFile the certificates
     * @return this builder (for chaining)
     * @throws IllegalArgumentException naming the file if it cannot be read or holds no certificate
     */
    public Builder trustCertificates(Path pemFile) {
      return trustStore(PemTrust.read(pemFile));
    }

    /**
     * Verifies server certificates with this TLS context instead of the JDK's defaults.
     *
     * @param sslContext an initialized context
     * @return this builder (for chaining)
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /**
     * Sets the TLS protocols offered (default TLS 1.3 and 1.2).
     *
     * @param protocols protocol names such as {@code TLSv1.3}
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the list is empty or contains blanks
     */
    public Builder tlsProtocols(List<String> protocols) {
      this.tlsProtocols = OptionChecks.tlsProtocols(protocols);
      return this;
    }

    /**
     * Logs the SMTP conversation at DEBUG through SLF4J, with authentication masked (default false,
     * or true when the system property {@value SmtpOptions#DEBUG_PROPERTY} is {@code true}).
     *
     * @param debug true to log
     * @return this builder (for chaining)
     */
    public Builder debug(boolean debug) {
      this.debug = debug;
      return this;
    }

    /**
     * Sends with RFC 2920 PIPELINING when the server offers it (default true): the envelope and the
     * message command in one write, the replies read after, so a message costs one round trip
     * instead of four or more. Switch it off for a server that offers PIPELINING but mishandles it;
     * every message then goes command by command.
     *
     * @param pipelining false to wait for each reply before the next command
     * @return this builder (for chaining)
     */
    public Builder pipelining(boolean pipelining) {
      this.pipelining = pipelining;
      return this;
    }

    /**
     * Sends the message with RFC 3030 {@code BDAT} when the server offers CHUNKING (default true):
     * no DATA round trip, no dot-stuffing. Switch it off for a server that offers CHUNKING but
     * mishandles it; the message then goes with DATA.
     *
     * @param chunking false to always use DATA
     * @return this builder (for chaining)
     */
    public Builder chunking(boolean chunking) {
      this.chunking = chunking;
      return this;
    }

    /**
     * Sets the SASL mechanisms for a password login, most preferred first (default {@code PLAIN,
     * LOGIN}: PLAIN is one round trip, as most clients prefer; Angus alone picks LOGIN). OAuth 2.0
     * settings always use XOAUTH2.
     *
     * @param mechanisms one or more of PLAIN, LOGIN, DIGEST-MD5, NTLM
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if empty or naming another mechanism
     */
    public Builder authMechanisms(List<String> mechanisms) {
      this.authMechanisms = OptionChecks.authMechanisms(mechanisms);
      return this;
    }

    /**
     * Sets where OAuth 2.0 access tokens come from (default {@link
     * TokenSource#clientCredentials()}). The options keep the tokens of this source in their own
     * cache, shared by every session, validator and mailer built with them.
     *
     * @param source your own flow, e.g. a Google service account
     * @return this builder (for chaining)
     */
    public Builder tokenSource(TokenSource source) {
      Objects.requireNonNull(source, "source");
      if (source != tokenCache.source()) {
        this.tokenCache =
            source == TokenSource.clientCredentials()
                ? TokenCache.defaultCache()
                : new TokenCache(source);
      }
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalStateException if both a trust store and a TLS context were set
     */
    public SmtpOptions build() {
      if (trustStore != null && sslContext != null) {
        throw new IllegalStateException("trustStore and sslContext: set one, not both");
      }
      return new SmtpOptions(this);
    }
  }
}
