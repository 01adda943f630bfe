package dev.smarthost.spring;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * {@code smarthost.*} properties. One source is enough: {@code smarthost.env-file}, {@code
 * smarthost.redis.uri}, or the {@code SMTP_*} environment variables the cluster passes to
 * containers.
 */
@ConfigurationProperties("smarthost")
public class SmarthostProperties implements Validator {
  /** The cluster's smarthost.env file; re-read when it changes. */
  private @Nullable Path envFile;

  /** {@code smarthost.ssl.*}: trust material from Spring's SSL bundles. */
  private final Ssl ssl = new Ssl();

  /** Time to open the TCP connection. */
  private Duration connectTimeout = Duration.ofSeconds(10);

  /** Time to wait for each reply. */
  private Duration readTimeout = Duration.ofSeconds(30);

  /** Time a write may block (a server that stops reading). */
  private Duration writeTimeout = Duration.ofSeconds(30);

  /** Name sent in EHLO; default the host's name. */
  private @Nullable String ehloName;

  /** Whether to pipeline commands (RFC 2920) when the server offers PIPELINING. */
  private boolean pipelining = true;

  /** Whether to send the message with BDAT (RFC 3030) when the server offers CHUNKING. */
  private boolean chunking = true;

  /**
   * Whether a failed settings read or connection check stops the application at startup (like
   * spring.mail.test-connection); otherwise it is a warning and sending fails until fixed.
   */
  private boolean validateOnStartup;

  /** The cluster's Redis store. */
  private final Redis redis = new Redis();

  /** The sending side. */
  @NestedConfigurationProperty private final MailerProperties mailer = new MailerProperties();

  /** The health indicator. */
  private final Health health = new Health();

  /** {@code smarthost.outbox.*}: the durable outbox. */
  private final Outbox outbox = new Outbox();

  /** Creates properties with the defaults; Spring binds them. */
  public SmarthostProperties() {}

  /**
   * Whether the starter checks the settings and the connection at startup and stops the application
   * when they fail.
   *
   * @return false (the default): a problem is a warning
   */
  public boolean isValidateOnStartup() {
    return validateOnStartup;
  }

  /**
   * Sets whether the starter checks the settings and the connection at startup.
   *
   * @param validateOnStartup true to stop the application when they fail
   */
  public void setValidateOnStartup(boolean validateOnStartup) {
    this.validateOnStartup = validateOnStartup;
  }

  /**
   * Spring Boot validates bound properties that are a {@link Validator}: a bad value stops the
   * application with a report naming the property.
   *
   * @param type the class to validate
   * @return true for these properties
   */
  @Override
  public boolean supports(Class<?> type) {
    return SmarthostProperties.class.isAssignableFrom(type);
  }

  /**
   * Checks the values the mailer and the health check would refuse, naming their property.
   *
   * @param target these properties
   * @param errors where the problems go
   */
  @Override
  public void validate(Object target, Errors errors) {
    PropertyRules.check((SmarthostProperties) target, errors);
  }

  /**
   * Returns the env file.
   *
   * @return the file, or null
   */
  public @Nullable Path getEnvFile() {
    return envFile;
  }

  /**
   * Sets the env file.
   *
   * @param envFile the cluster's smarthost.env
   */
  public void setEnvFile(@Nullable Path envFile) {
    this.envFile = envFile;
  }

  /**
   * Returns the {@code smarthost.ssl.*} properties.
   *
   * @return the SSL properties
   */
  public Ssl getSsl() {
    return ssl;
  }

  /**
   * Returns the connect timeout.
   *
   * @return the timeout
   */
  public Duration getConnectTimeout() {
    return connectTimeout;
  }

  /**
   * Sets the connect timeout.
   *
   * @param connectTimeout the timeout
   */
  public void setConnectTimeout(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  /**
   * Returns the read timeout.
   *
   * @return the timeout
   */
  public Duration getReadTimeout() {
    return readTimeout;
  }

  /**
   * Sets the read timeout.
   *
   * @param readTimeout the timeout
   */
  public void setReadTimeout(Duration readTimeout) {
    this.readTimeout = readTimeout;
  }

  /**
   * Returns the write timeout.
   *
   * @return the timeout
   */
  public Duration getWriteTimeout() {
    return writeTimeout;
  }

  /**
   * Sets the write timeout.
   *
   * @param writeTimeout the timeout
   */
  public void setWriteTimeout(Duration writeTimeout) {
    this.writeTimeout = writeTimeout;
  }

  /**
   * Returns the EHLO name.
   *
   * @return the name, or null for the host's name
   */
  public @Nullable String getEhloName() {
    return ehloName;
  }

  /**
   * Sets the EHLO name.
   *
   * @param ehloName the name
   */
  public void setEhloName(@Nullable String ehloName) {
    this.ehloName = ehloName;
  }

  /**
   * Returns whether messages go with PIPELINING where the server offers it.
   *
   * @return true (the default) to pipeline
   */
  public boolean isPipelining() {
    return pipelining;
  }

  /**
   * Sets whether messages go with PIPELINING where the server offers it.
   *
   * @param pipelining false for a server that offers PIPELINING but mishandles it
   */
  public void setPipelining(boolean pipelining) {
    this.pipelining = pipelining;
  }

  /**
   * Returns whether messages go with BDAT where the server offers CHUNKING.
   *
   * @return true (the default) to use BDAT
   */
  public boolean isChunking() {
    return chunking;
  }

  /**
   * Sets whether messages go with BDAT where the server offers CHUNKING.
   *
   * @param chunking false for a server that offers CHUNKING but mishandles it
   */
  public void setChunking(boolean chunking) {
    this.chunking = chunking;
  }

  /**
   * Returns the {@code smarthost.redis.*} properties.
   *
   * @return the Redis properties
   */
  public Redis getRedis() {
    return redis;
  }

  /**
   * Returns the mailer settings.
   *
   * @return the mailer settings
   */
  public MailerProperties getMailer() {
    return mailer;
  }

  /**
   * Returns the {@code smarthost.outbox.*} properties.
   *
   * @return the outbox properties
   */
  public Outbox getOutbox() {
    return outbox;
  }

  /**
   * Returns the {@code smarthost.health.*} properties.
   *
   * @return the health properties
   */
  public Health getHealth() {
    return health;
  }

  /** {@code smarthost.redis.*}. */
  public static class Redis {
    /** Creates the defaults. */
    public Redis() {}

    /**
     * The Redis URI, e.g. redis://127.0.0.1:6379; the settings hash and change events are read
     * there.
     */
    private @Nullable String uri;

    /**
     * Returns the URI.
     *
     * @return the URI, or null
     */
    public @Nullable String getUri() {
      return uri;
    }

    /**
     * Sets the URI.
     *
     * @param uri redis://[user:password@]host:port[/db]
     */
    public void setUri(@Nullable String uri) {
      this.uri = uri;
    }
  }

  /** {@code smarthost.ssl.*}. */
  public static class Ssl {
    /** Creates the defaults. */
    public Ssl() {}

    /**
     * Name of a Spring SSL bundle (spring.ssl.bundle.jks.NAME or spring.ssl.bundle.pem.NAME) whose
     * trust store verifies the smarthost's certificate.
     */
    private @Nullable String bundle;

    /**
     * Returns the bundle's name.
     *
     * @return the name, or null for the JDK's trust store
     */
    public @Nullable String getBundle() {
      return bundle;
    }

    /**
     * Sets the bundle's name.
     *
     * @param bundle the name
     */
    public void setBundle(@Nullable String bundle) {
      this.bundle = bundle;
    }
  }

  /** {@code smarthost.outbox.*}. */
  public static class Outbox {
    /** Creates the defaults. */
    public Outbox() {}

    /**
     * Directory of the durable outbox (created owner-only). When set, JavaMailSender.send stores
     * each message there and returns; the mailer delivers it in the background, across restarts.
     */
    private @Nullable Path directory;

    /** Health is DOWN when the oldest pending message waits longer than this. */
    private Duration maxPendingAge = Duration.ofHours(1);

    /**
     * Returns the outbox directory.
     *
     * @return the directory, or null for no outbox
     */
    public @Nullable Path getDirectory() {
      return directory;
    }

    /**
     * Sets the outbox directory.
     *
     * @param directory the directory
     */
    public void setDirectory(@Nullable Path directory) {
      this.directory = directory;
    }

    /**
     * Returns the age after which a pending message makes health DOWN.
     *
     * @return the age
     */
    public Duration getMaxPendingAge() {
      return maxPendingAge;
    }

    /**
     * Sets the age after which a pending message makes health DOWN.
     *
     * @param maxPendingAge the age
     */
    public void setMaxPendingAge(Duration maxPendingAge) {
      this.maxPendingAge = maxPendingAge;
    }
  }

  /** {@code smarthost.health.*}. */
  public static class Health {
    /** Creates the defaults. */
    public Health() {}

    /** Longest a health check may take; the endpoint never waits longer. */
    private Duration deadline = Duration.ofSeconds(5);

    /** How long a check result is reused before the next health request checks again. */
    private Duration cacheFor = Duration.ofSeconds(60);

    /**
     * Returns the deadline.
     *
     * @return the deadline
     */
    public Duration getDeadline() {
      return deadline;
    }

    /**
     * Sets the deadline.
     *
     * @param deadline at least 1 ms
     */
    public void setDeadline(Duration deadline) {
      this.deadline = deadline;
    }

    /**
     * Returns how long a result is reused.
     *
     * @return the duration
     */
    public Duration getCacheFor() {
      return cacheFor;
    }

    /**
     * Sets how long a result is reused.
     *
     * @param cacheFor zero or more
     */
    public void setCacheFor(Duration cacheFor) {
      this.cacheFor = cacheFor;
    }
  }
}
