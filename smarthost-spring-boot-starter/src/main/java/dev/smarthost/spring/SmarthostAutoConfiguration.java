package dev.smarthost.spring;

import dev.smarthost.SettingsCodec;
import dev.smarthost.SettingsField;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.outbox.FileOutbox;
import dev.smarthost.core.outbox.Outbox;
import dev.smarthost.core.outbox.OutboxStore;
import dev.smarthost.core.send.MailerListener;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.core.settings.EnvironmentSmarthostResolver;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.mail.MailSender;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Configures smarthost when a source is given: {@code smarthost.env-file}, {@code
 * smarthost.redis.uri}, or the {@code SMTP_*} environment variables. Creates the {@link
 * SmarthostResolver}, {@link SmtpOptions}, the {@link SmarthostMailer} and a {@link JavaMailSender}
 * on it (runs before Spring Boot's own mail auto-configuration), a health indicator when Spring
 * Boot's health module is present, and Micrometer meters when a {@link MeterRegistry} is. Every
 * bean backs off when the application defines its own; an application that defines its own {@link
 * MailSender} opts out of all of them (no mailer, health or meters for a server it does not use).
 * Spring Boot 4.0 is required: on an older Boot the application stops with a report that says so.
 */
@AutoConfiguration(
    beforeName = "org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration",
    afterName = "org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration")
@ConditionalOnClass({SmarthostMailer.class, JavaMailSender.class})
@Conditional(SmarthostAutoConfiguration.SourceCondition.class)
@ConditionalOnMissingBean(MailSender.class)
@EnableConfigurationProperties(SmarthostProperties.class)
public class SmarthostAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(SmarthostAutoConfiguration.class);

  /** Creates the auto-configuration; Spring calls it. */
  public SmarthostAutoConfiguration() {
    requireSupportedBoot(SpringBootVersion.getVersion());
  }

  /**
   * Spring Boot 4 moved the health API and the mail auto-configuration: on 3.x the starter would
   * send but silently lack its health indicator, so it refuses to start instead.
   */
  static void requireSupportedBoot(@Nullable String version) {
    if (version == null) {
      return; // not from Boot's jar (an IDE's exploded classes): nothing to go by
    }
    int major;
    try {
      major = Integer.parseInt(version.substring(0, version.indexOf('.')));
    } catch (RuntimeException e) {
      return;
    }
    if (major < 4) {
      throw new SmarthostStartupException.UnsupportedBoot(
          "smarthost-spring-boot-starter supports Spring Boot 4.0 (4.0.x); this application runs"
              + " Spring Boot "
              + version
              + ".",
          "Upgrade to Spring Boot 4.0, or use dev.smarthost:smarthost-core without the starter"
              + " (SmarthostMailer on the same settings).");
    }
  }

  /**
   * The settings source: the env file, else Redis, else the {@code SMTP_*} keys of Spring's
   * environment (which includes the process environment).
   *
   * @param properties the {@code smarthost.*} properties
   * @param environment Spring's environment
   * @return the resolver
   */
  @Bean
  @ConditionalOnMissingBean
  public SmarthostResolver smarthostResolver(
      SmarthostProperties properties, Environment environment) {
    if (environment.containsProperty("spring.mail.host")) {
      LOG.warn(
          "spring.mail.host is set, but mail goes through the smarthost from {}; spring.mail.*"
              + " is ignored (remove it, or remove the smarthost source to use Spring's own"
              + " JavaMailSender)",
          source(properties, environment));
    }
    Path envFile = properties.getEnvFile();
    if (envFile != null) {
      return EnvFileSmarthostResolver.of(envFile);
    }
    String redis = properties.getRedis().getUri();
    if (redis != null && !redis.isBlank()) {
      try {
        return RedisResolvers.create(redis);
      } catch (NoClassDefFoundError e) {
        throw new IllegalStateException(
            "smarthost.redis.uri is set but dev.smarthost:smarthost-redis is not on the class path",
            e);
      }
    }
    Map<String, String> keys = new HashMap<>();
    for (SettingsField field : SettingsField.values()) {
      String key = SettingsCodec.ENV_FILE.key(field);
      String value = environment.getProperty(key);
      if (value != null) {
        keys.put(key, value);
      }
    }
    return EnvironmentSmarthostResolver.of(keys);
  }

  private static String source(SmarthostProperties properties, Environment environment) {
    if (properties.getEnvFile() != null) {
      return "smarthost.env-file " + properties.getEnvFile();
    }
    String redis = properties.getRedis().getUri();
    if (redis != null && !redis.isBlank()) {
      return "smarthost.redis.uri";
    }
    if (new SourceProperty().matches(environment)) {
      return "the SMTP_* environment";
    }
    return "the application's SmarthostResolver";
  }

  /**
   * Timeouts, trust and EHLO name from {@code smarthost.*}; the trust store from the SSL bundle
   * {@code smarthost.ssl.bundle} names, else the JDK's. Backs off when the application defines its
   * own.
   *
   * @param properties the {@code smarthost.*} properties
   * @param sslBundles Spring's SSL bundles, if {@code smarthost.ssl.bundle} is set
   * @return the options
   */
  @Bean
  @ConditionalOnMissingBean
  public SmtpOptions smarthostSmtpOptions(
      SmarthostProperties properties, ObjectProvider<SslBundles> sslBundles) {
    SmtpOptions.Builder b =
        SmtpOptions.builder()
            .connectTimeout(properties.getConnectTimeout())
            .readTimeout(properties.getReadTimeout())
            .writeTimeout(properties.getWriteTimeout())
            .pipelining(properties.isPipelining())
            .chunking(properties.isChunking());
    String ehlo = properties.getEhloName();
    if (ehlo != null && !ehlo.isBlank()) {
      b.ehloName(ehlo);
    }
    String bundle = properties.getSsl().getBundle();
    if (bundle != null && !bundle.isBlank()) {
      b.trustStore(trustStore(bundle, sslBundles.getIfAvailable()));
    }
    return b.build();
  }

  private static KeyStore trustStore(String bundle, @Nullable SslBundles bundles) {
    if (bundles == null) {
      throw new InvalidConfigurationPropertyValueException(
          "smarthost.ssl.bundle", bundle, "there are no SSL bundles (spring.ssl.bundle.*)");
    }
    KeyStore trust;
    try {
      trust = bundles.getBundle(bundle).getStores().getTrustStore();
    } catch (NoSuchSslBundleException e) {
      throw new InvalidConfigurationPropertyValueException(
          "smarthost.ssl.bundle",
          bundle,
          "no SSL bundle of that name (spring.ssl.bundle.jks."
              + bundle
              + " or .pem."
              + bundle
              + ")");
    }
    if (trust == null) {
      throw new InvalidConfigurationPropertyValueException(
          "smarthost.ssl.bundle",
          bundle,
          "the bundle has no trust store (spring.ssl.bundle.*." + bundle + ".truststore)");
    }
    return trust;
  }

  /**
   * The durable outbox, when {@code smarthost.outbox.directory} is set.
   *
   * @param properties the {@code smarthost.outbox.*} properties
   * @return the outbox; closed with the context, after the mailer
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(Outbox.class)
  @ConditionalOnProperty("smarthost.outbox.directory")
  public FileOutbox smarthostOutbox(SmarthostProperties properties) {
    return FileOutbox.open(Objects.requireNonNull(properties.getOutbox().getDirectory()));
  }

  /**
   * The mailer: reused connections that follow the resolver; with an {@link Outbox} bean it
   * delivers it in the background.
   *
   * @param resolver the settings source
   * @param options the options
   * @param properties the {@code smarthost.mailer.*} properties
   * @param listeners every {@link MailerListener} bean (the starter's meters and the application's
   *     own), each hears every event
   * @param outbox the outbox, if any
   * @return the mailer; closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public SmarthostMailer smarthostMailer(
      SmarthostResolver resolver,
      SmtpOptions options,
      SmarthostProperties properties,
      ObjectProvider<MailerListener> listeners,
      ObjectProvider<OutboxStore> outbox) {
    MailerProperties m = properties.getMailer();
    SmarthostMailer.Builder b =
        SmarthostMailer.builder(resolver)
            .options(options)
            .maxConnections(m.getMaxConnections())
            .maxAttempts(m.getMaxAttempts())
            .queueCapacity(m.getQueueCapacity())
            .maxMessagesPerConnection(m.getMaxMessagesPerConnection())
            .maxConnectionAge(m.getMaxConnectionAge())
            .idleTimeout(m.getIdleTimeout())
            .retryBackoff(m.getRetryBackoff())
            .acquireTimeout(m.getAcquireTimeout())
            .sendTimeout(m.getSendTimeout())
            .closeTimeout(m.getCloseTimeout())
            .listener(MailerListener.all(listeners.orderedStream().toList()));
    outbox.ifAvailable(b::outbox);
    return b.build();
  }

  /**
   * Spring's mail sender on the mailer; its messages are UTF-8 unless {@code
   * spring.mail.default-encoding} names another charset.
   *
   * @param mailer the mailer
   * @param environment for {@code spring.mail.default-encoding}
   * @return the sender
   */
  @Bean
  @ConditionalOnMissingBean(MailSender.class)
  public SmarthostJavaMailSender smarthostJavaMailSender(
      SmarthostMailer mailer, Environment environment) {
    String encoding = environment.getProperty("spring.mail.default-encoding");
    if (encoding == null || encoding.isBlank()) {
      return new SmarthostJavaMailSender(mailer);
    }
    try {
      return new SmarthostJavaMailSender(mailer, Charset.forName(encoding.strip()));
    } catch (IllegalArgumentException e) {
      throw new InvalidConfigurationPropertyValueException(
          "spring.mail.default-encoding", encoding, "not a charset this JVM knows");
    }
  }

  /**
   * Reads the settings once at startup: a WARN naming the source and the problem, or with {@code
   * smarthost.validate-on-startup=true} a connection check that stops the application when it
   * fails.
   *
   * @param resolver the settings source
   * @param options the options
   * @param properties the {@code smarthost.*} properties
   * @param environment to name the source in messages
   * @return the check
   */
  @Bean
  StartupCheck smarthostStartupCheck(
      SmarthostResolver resolver,
      SmtpOptions options,
      SmarthostProperties properties,
      Environment environment) {
    return new StartupCheck(
        resolver,
        SmtpConnectionValidator.create(options).withDeadline(properties.getHealth().getDeadline()),
        source(properties, environment),
        properties.isValidateOnStartup());
  }

  /** The health indicator, when Spring Boot's health module is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  public static class HealthConfiguration {
    /** Creates the configuration; Spring calls it. */
    public HealthConfiguration() {}

    /**
     * The "smarthost" health indicator.
     *
     * @param resolver the settings source
     * @param options the options
     * @param properties the {@code smarthost.health.*} and {@code smarthost.outbox.*} properties
     * @param outbox the outbox, if any: its state becomes part of the health
     * @return the indicator
     */
    @Bean
    @ConditionalOnMissingBean(name = "smarthostHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("smarthost")
    public SmarthostHealthIndicator smarthostHealthIndicator(
        SmarthostResolver resolver,
        SmtpOptions options,
        SmarthostProperties properties,
        ObjectProvider<Outbox> outbox) {
      SmarthostProperties.Health h = properties.getHealth();
      SmarthostHealthIndicator indicator =
          new SmarthostHealthIndicator(
              resolver,
              SmtpConnectionValidator.create(options).withDeadline(h.getDeadline()),
              h.getCacheFor());
      Outbox o = outbox.getIfAvailable();
      return o == null
          ? indicator
          : indicator.withOutbox(o, properties.getOutbox().getMaxPendingAge());
    }
  }

  /** Micrometer meters, bound by Spring Boot's metrics auto-configuration to its registries. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  public static class MetricsConfiguration {
    /** Creates the configuration; Spring calls it. */
    public MetricsConfiguration() {}

    /**
     * Meters for the mailer's events: a {@link io.micrometer.core.instrument.binder.MeterBinder}
     * that Boot binds to every registry it creates.
     *
     * @param mailer the mailer, for the open-connections gauge
     * @param outbox the outbox, if any: its gauges are registered too
     * @return the listener
     */
    @Bean
    @ConditionalOnMissingBean(MicrometerMailerListener.class)
    public MicrometerMailerListener smarthostMicrometerListener(
        ObjectProvider<SmarthostMailer> mailer, ObjectProvider<Outbox> outbox) {
      return new MicrometerMailerListener(mailer::getIfAvailable, outbox::getIfAvailable);
    }
  }

  /** Matches when a smarthost source is configured, or the application defines its resolver. */
  static final class SourceCondition extends AnyNestedCondition {
    SourceCondition() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    /** A source in the properties or the environment. */
    @Conditional(SourceProperty.class)
    static final class Property {}

    /**
     * The application's own {@link SmarthostResolver} bean: a connection-details bean, e.g. one
     * that points at a testkit server in the application's tests.
     */
    @ConditionalOnBean(SmarthostResolver.class)
    static final class ResolverBean {}
  }

  /** A source in the properties or the environment. */
  static final class SourceProperty implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return matches(context.getEnvironment());
    }

    boolean matches(Environment env) {
      return env.containsProperty("smarthost.env-file")
          || env.containsProperty("smarthost.redis.uri")
          || env.containsProperty(SettingsCodec.ENV_FILE.key(SettingsField.ENABLED))
          || env.containsProperty(SettingsCodec.ENV_FILE.key(SettingsField.HOST));
    }
  }
}
