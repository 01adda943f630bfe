package dev.smarthost.testkit;

import com.icegreen.greenmail.util.GreenMail;
import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.settings.EnvFileSmarthostStore;
import dev.smarthost.testkit.internal.BuilderChecks;
import dev.smarthost.testkit.internal.FaultRegistry;
import dev.smarthost.testkit.internal.FaultRules;
import dev.smarthost.testkit.internal.FrontOptions;
import dev.smarthost.testkit.internal.MailStore;
import dev.smarthost.testkit.internal.SmtpFront;
import dev.smarthost.testkit.internal.TlsContexts;
import dev.smarthost.testkit.internal.TransactionLog;
import jakarta.mail.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A real SMTP smarthost on loopback for tests. GreenMail stores and parses the mail; a thin front
 * adds what GreenMail lacks: STARTTLS, implicit TLS with a generated certificate (subject
 * alternative names {@code localhost}, {@code 127.0.0.1}, {@code ::1}, signed by a CA of its own,
 * made when first needed; see {@link #trustStore()}), required AUTH, and {@link Fault faults}.
 *
 * <pre>{@code
 * try (SmarthostServer server = SmarthostServer.builder()
 *     .encryption(Encryption.STARTTLS)
 *     .requireAuth("app", "s3cret-Pässwörd")
 *     .start()) {
 *   Transport.send(Messages.simple(server.session(), "Disk almost full"));
 *   List<ReceivedMessage> got = server.awaitMessages(1, Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Thread-safe. Listens on a free port unless told otherwise.
 */
public final class SmarthostServer implements AutoCloseable {
  private static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  private final FrontOptions options;
  private final GreenMail greenMail;
  private final SmtpFront front;
  private final TlsContexts tls = new TlsContexts("smarthost-testkit CA " + System.nanoTime());
  private volatile @Nullable SmtpOptions smtpOptions;

  /** Default message size limit, advertised in EHLO: 32 MiB. */
  public static final long DEFAULT_MAX_MESSAGE_SIZE = 32L << 20;

  private final FaultRegistry faults = new FaultRegistry();
  private final TransactionLog log = new TransactionLog();
  private volatile boolean closed;

  private SmarthostServer(Builder b) throws IOException {
    this.options =
        new FrontOptions(
            b.port,
            b.encryption,
            b.username,
            b.password,
            b.tokenVerifier,
            (int) b.idleTimeout.toMillis(),
            b.pipelining,
            b.chunking,
            b.smtputf8,
            b.maxMessageSize,
            b.maxConnections);
    // GreenMail is the store: messages go into it directly, not over its SMTP server
    this.greenMail = MailStore.startGreenMail(b.imap);
    try {
      this.front = new SmtpFront(options, new MailStore(greenMail), tls, faults, log::add);
    } catch (IOException | RuntimeException e) {
      greenMail.stop();
      throw e;
    }
  }

  /**
   * Starts configuring a server: STARTTLS, no AUTH, a free port.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the host clients connect to.
   *
   * @return {@code localhost}
   */
  public String host() {
    return "localhost";
  }

  /**
   * Returns the port the server listens on.
   *
   * @return the port on loopback
   */
  public int port() {
    return front.port();
  }

  /**
   * Returns the server's encryption mode.
   *
   * @return the mode given to the builder
   */
  public Encryption encryption() {
    return options.encryption();
  }

  /**
   * Returns settings that point at this server: its host, port and encryption, certificate
   * verification on, and the required credentials if any.
   *
   * @return the settings
   */
  public SmarthostSettings settings() {
    SmarthostSettings.Builder b =
        SmarthostSettings.builder()
            .host(host())
            .port(port())
            .encryption(options.encryption())
            .verifyTls(true);
    String username = options.username();
    String password = options.password();
    if (username != null && password != null) {
      b.credentials(username, password);
    }
    return b.build();
  }

  /**
   * Returns a trust store holding the CA that signed this server's certificate, and nothing else
   * (another server's certificate is not trusted by it).
   *
   * @return a new PKCS12 key store with one certificate entry
   */
  public KeyStore trustStore() {
    return tls.trustStore();
  }

  /**
   * Returns default options that trust this server's CA, for {@link SmarthostSessionFactory}.
   *
   * @return the options (the same object on every call)
   */
  public SmtpOptions smtpOptions() {
    SmtpOptions options = smtpOptions;
    if (options == null) {
      options = SmtpOptions.builder().trustStore(trustStore()).build();
      smtpOptions = options;
    }
    return options;
  }

  /**
   * Returns a verified session for this server: {@code new
   * SmarthostSessionFactory(smtpOptions()).session(settings())}.
   *
   * @return a new session
   */
  public Session session() {
    return new SmarthostSessionFactory(smtpOptions()).session(settings());
  }

  /**
   * Writes the certificate of the CA that signed this server's certificate as a PEM file, for
   * {@link SmtpOptions.Builder#trustCertificates(Path)} or any other client.
   *
   * @param file the file to write (replaced if it exists)
   * @return {@code file}
   */
  public Path writeCaCertificate(Path file) {
    return tls.writeCaCertificate(file);
  }

  /**
   * Writes the cluster's env file for this server as the cluster does ({@link
   * EnvFileSmarthostStore}): atomically (temporary file, then rename), owner-only.
   *
   * @param file the env file to write; its directory must not be writable by group or others
   * @return {@code file}
   */
  public Path writeEnvFile(Path file) {
    EnvFileSmarthostStore.of(file).save(settings());
    return file;
  }

  /**
   * Waits until at least {@code count} messages have arrived and returns them in arrival order.
   *
   * @param count how many messages to wait for
   * @param timeout how long to wait at most
   * @return every message received so far (at least {@code count})
   * @throws AssertionError listing what did arrive, if fewer arrive in time or the thread is
   *     interrupted (the interrupt flag is kept)
   */
  public List<ReceivedMessage> awaitMessages(int count, Duration timeout) {
    return ReceivedMessage.atLeast(count, timeout, log.await(count, timeout));
  }

  /**
   * Returns the messages received so far, without waiting.
   *
   * @return the messages in arrival order
   */
  public List<ReceivedMessage> receivedMessages() {
    return ReceivedMessage.of(log.snapshot());
  }

  /**
   * Returns the port of GreenMail's IMAP server, started with {@link Builder#imap()}: log in with a
   * recipient's address as user and password to read its INBOX.
   *
   * @return the port on {@code 127.0.0.1}
   * @throws IllegalStateException if the server was built without {@code imap()}
   */
  public int imapPort() {
    if (greenMail.getImap() == null) {
      throw new IllegalStateException(
          "no IMAP server: build with SmarthostServer.builder().imap()");
    }
    return greenMail.getImap().getPort();
  }

  /**
   * Returns how many connections the server accepted since it started.
   *
   * @return the count
   */
  public int connectionCount() {
    return front.connections();
  }

  /**
   * Makes the server misbehave; adds to the faults already in force (a fault of the same kind and
   * step replaces the earlier one). Connection faults apply to connections accepted from now on,
   * step faults at AUTH, MAIL, RCPT and DATA to the next such command on any connection.
   *
   * @param faults the faults
   * @throws IllegalStateException if a certificate fault is set on a server without TLS
   */
  public void fault(Fault... faults) {
    for (Fault fault : faults) {
      this.faults.add(
          FaultRules.checkApplicable(Objects.requireNonNull(fault, "fault"), options.encryption()));
    }
  }

  /**
   * Returns the faults in force.
   *
   * @return the faults, in the order they were set
   */
  public List<Fault> faults() {
    return faults.list();
  }

  /** Stops all faults for connections accepted from now on. */
  public void clearFaults() {
    faults.clear();
  }

  /** Forgets received messages and clears faults, as between two tests. */
  public void reset() {
    clearFaults();
    log.clear();
    try {
      greenMail.purgeEmailFromAllMailboxes();
    } catch (com.icegreen.greenmail.store.FolderException e) {
      throw new IllegalStateException("cannot purge GreenMail", e);
    }
  }

  /**
   * Stops the server: closes every connection and stops GreenMail. Calling it again does nothing.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      front.close();
    } finally {
      greenMail.stop();
    }
  }

  @Override
  public String toString() {
    return "SmarthostServer{"
        + host()
        + ":"
        + port()
        + ", "
        + options.encryption()
        + (options.username() != null ? ", auth required" : "")
        + (options.tokenVerifier() != null ? " (OAuth 2.0)" : "")
        + (faults().isEmpty() ? "" : ", faults=" + faults())
        + (closed ? ", closed" : "")
        + "}";
  }

  /** Configures a {@link SmarthostServer}. */
  public static final class Builder {
    private Encryption encryption = Encryption.STARTTLS;
    private @Nullable String username;
    private @Nullable String password;
    private @Nullable Predicate<String> tokenVerifier;
    private boolean imap;
    private boolean pipelining = true;
    private boolean chunking = true;
    private boolean smtputf8 = true;
    private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private int maxConnections;
    private int port;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;

    private Builder() {}

    /**
     * Sets the encryption mode (default {@link Encryption#STARTTLS}).
     *
     * @param encryption NONE, STARTTLS or TLS
     * @return this builder (for chaining)
     */
    public Builder encryption(Encryption encryption) {
      this.encryption = Objects.requireNonNull(encryption, "encryption");
      return this;
    }

    /**
     * Requires AUTH (PLAIN or LOGIN) with these credentials before MAIL; MAIL before AUTH gets
     * {@code 530}. With STARTTLS, AUTH is offered only after STARTTLS.
     *
     * @param username the user name
     * @param password the password; any Unicode
     * @return this builder (for chaining)
     */
    public Builder requireAuth(String username, String password) {
      SmarthostSettings.builder().credentials(username, password); // same rules as the settings
      this.username = BuilderChecks.username(username);
      this.password = password;
      return this;
    }

    /**
     * Requires an OAuth 2.0 login (SASL XOAUTH2 or OAUTHBEARER) as {@code username} with a token
     * that {@code tokenVerifier} accepts, like Microsoft 365 or Gmail; PLAIN and LOGIN are then not
     * offered, unless {@link #requireAuth} is also set. A rejected token gets the 334 JSON error
     * challenge ({@code {"status":"401",…}}) and, after the client's empty answer, {@code 535}.
     *
     * @param username the mailbox the token must be presented for
     * @param tokenVerifier true for a token to accept; e.g. a JWT signature and issuer check
     *     against the test's OAuth 2.0 server; called on the server's thread
     * @return this builder (for chaining)
     */
    public Builder requireOAuth2(String username, Predicate<String> tokenVerifier) {
      BuilderChecks.username(username);
      if (this.username != null && !this.username.equals(username)) {
        throw new IllegalArgumentException(
            "username: requireAuth and requireOAuth2 must name the same user");
      }
      this.username = username;
      this.tokenVerifier = Objects.requireNonNull(tokenVerifier, "tokenVerifier");
      return this;
    }

    /**
     * Also runs GreenMail's IMAP server (plain IMAP on a free loopback port, {@link #imapPort()}):
     * every recipient has a mailbox whose login and password are the recipient's address.
     *
     * @return this builder (for chaining)
     */
    public Builder imap() {
      this.imap = true;
      return this;
    }

    /**
     * Sets whether EHLO offers PIPELINING (RFC 2920; default true). Either way the server answers
     * commands in order and records whether a client sent before the replies came ({@link
     * ReceivedMessage#pipelined()}), so a test can check that a client does not pipeline to a
     * server that does not offer it.
     *
     * @param offered false for a server without PIPELINING
     * @return this builder (for chaining)
     */
    public Builder pipelining(boolean offered) {
      this.pipelining = offered;
      return this;
    }

    /**
     * Sets whether EHLO offers CHUNKING and the server accepts BDAT (RFC 3030; default true).
     * Without it a BDAT chunk is read and refused with {@code 502}.
     *
     * @param offered false for a server without CHUNKING
     * @return this builder (for chaining)
     */
    public Builder chunking(boolean offered) {
      this.chunking = offered;
      return this;
    }

    /**
     * Sets whether EHLO offers SMTPUTF8 (RFC 6531; default true, as Postfix). A non-ASCII address
     * in MAIL FROM or RCPT TO without the {@code SMTPUTF8} parameter (or to a server without the
     * extension) is refused with {@code 553 5.6.7}, so a test can check what a client does with
     * {@code δοκιμή@example.org} on either kind of server.
     *
     * @param offered false for a server without SMTPUTF8
     * @return this builder (for chaining)
     */
    public Builder smtputf8(boolean offered) {
      this.smtputf8 = offered;
      return this;
    }

    /**
     * Sets the message size limit EHLO advertises ({@code SIZE}, RFC 1870; default 32 MiB) and
     * enforces with {@code 552 5.3.4}: at MAIL FROM for a declared {@code SIZE=} over it, after
     * DATA, and in the middle of BDAT chunks — there, as Exim does, the reply is followed by
     * closing the connection. 0 advertises {@code SIZE 0}: no fixed limit.
     *
     * @param bytes 0 or more
     * @return this builder (for chaining)
     */
    public Builder maxMessageSize(long bytes) {
      this.maxMessageSize = BuilderChecks.notNegative("maxMessageSize", bytes);
      return this;
    }

    /**
     * Sets how many connections the server serves at once; one more is answered {@code 421 4.7.0 …
     * too many connections} at connect and closed, as Postfix' {@code
     * smtpd_client_connection_count_limit} does (default 0: no limit).
     *
     * @param max at least 1, or 0 for no limit
     * @return this builder (for chaining)
     */
    public Builder maxConnections(int max) {
      this.maxConnections = (int) BuilderChecks.notNegative("maxConnections", max);
      return this;
    }

    /**
     * Sets the port (default 0: a free port chosen at start).
     *
     * @param port 0–65535
     * @return this builder (for chaining)
     */
    public Builder port(int port) {
      this.port = BuilderChecks.port(port);
      return this;
    }

    /**
     * Sets how long a client may stay silent before the server closes the connection (default 60
     * s).
     *
     * @param idleTimeout at least 1 ms
     * @return this builder (for chaining)
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = BuilderChecks.socketTimeout("idleTimeout", idleTimeout);
      return this;
    }

    /**
     * Starts the server.
     *
     * @return the running server; close it when done
     * @throws UncheckedIOException if the port cannot be bound
     */
    public SmarthostServer start() {
      try {
        return new SmarthostServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start smarthost test server", e);
      }
    }
  }
}
