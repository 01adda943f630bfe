package dev.smarthost.cli;

import dev.smarthost.Encryption;
import dev.smarthost.InvalidSettingException;
import dev.smarthost.OAuth2Client;
import dev.smarthost.SettingsCodec;
import dev.smarthost.SettingsField;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.redis.RedisSmarthostResolver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options that say which smarthost to check and how; shared by {@code check} and {@code
 * send-test}.
 */
final class ConnectionOptions {
  @Option(
      names = "--env-file",
      paramLabel = "FILE",
      description = "Read the cluster's smarthost.env file.")
  @Nullable Path envFile;

  @Mixin RedisOption redis = new RedisOption();

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "SMTP server host (instead of --env-file).")
  @Nullable String host;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Port (default: 25, 587 or 465 by encryption).")
  @Nullable Integer port;

  @Option(
      names = "--encryption",
      paramLabel = "MODE",
      description = "none, starttls (default) or tls.")
  @Nullable String encryption;

  @Option(
      names = "--no-verify-tls",
      description = "Do not verify the certificate (still encrypted).")
  boolean noVerifyTls;

  @Mixin LoginOptions login = new LoginOptions();

  @Mixin OAuth2Options oauth2 = new OAuth2Options();

  @Mixin TrustStoreOption trust = new TrustStoreOption();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "Total deadline, e.g. 30s, 500ms, 2m (default 30s).")
  String timeout = "30s";

  @Option(names = "--from", paramLabel = "ADDRESS", description = "Sender of a test message.")
  @Nullable String from;

  @Option(names = "--to", paramLabel = "ADDRESS", description = "Recipient of a test message.")
  @Nullable String to;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  SmarthostSettings settings(java.io.PrintWriter err) {
    login.refuseArgumentPassword();
    int sources = (envFile != null ? 1 : 0) + (host != null ? 1 : 0) + (redis.given() ? 1 : 0);
    if (sources != 1) {
      throw new UsageException("give one of --env-file, --redis or --host");
    }
    if (envFile != null || redis.given()) {
      if (port != null || encryption != null || noVerifyTls || login.given() || oauth2.given()) {
        throw new UsageException(
            (envFile != null ? "--env-file" : "--redis")
                + ": holds the whole configuration; drop --port, --encryption, --username,"
                + " --no-verify-tls, the password and the OAuth 2.0 options");
      }
    }
    if (redis.given()) {
      return fromRedis(redis.uri(err), trust.load());
    }
    Path file = envFile;
    if (file != null) {
      return EnvFileSmarthostResolver.of(file)
          .resolve()
          .orElseThrow(
              () ->
                  SmarthostConfigurationException.forField(
                      file.toString(),
                      SettingsCodec.ENV_FILE.key(SettingsField.ENABLED),
                      SettingsField.ENABLED,
                      "e-mail is switched off; nothing to check"));
    }
    SmarthostSettings.Builder b = SmarthostSettings.builder();
    String h = host;
    String e = encryption;
    Integer p = port;
    field("--host", () -> b.host(h == null ? "" : h));
    if (e != null) {
      field("--encryption", () -> b.encryption(Encryption.fromConfigValue(e)));
    }
    if (p != null) {
      field("--port", () -> b.port(p));
    }
    b.verifyTls(!noVerifyTls);
    OAuth2Client client = oauth2.client();
    String username = login.username;
    if (client != null) {
      if (login.passwordFile != null || login.passwordEnv != null) {
        throw new UsageException(
            "--password-file/--password-env and the OAuth 2.0 options: use a password or OAuth 2.0,"
                + " not both");
      }
      if (username == null) {
        throw new UsageException("--username: required with OAuth 2.0 (the mailbox that sends)");
      }
      field("--username", () -> b.oauth2(username, client));
      return b.build();
    }
    String password = login.password();
    if (username != null && password != null) {
      field("--username", () -> b.credentials(username, password));
    }
    return b.build();
  }

  private static SmarthostSettings fromRedis(
      java.net.URI uri, java.security.@Nullable KeyStore trust) {
    RedisSmarthostResolver.Builder b = RedisSmarthostResolver.builder(uri);
    if (trust != null) {
      b.trustStore(trust);
    }
    RedisSmarthostResolver resolver;
    try {
      resolver = b.build();
    } catch (IllegalArgumentException e) {
      throw new UsageException("--redis: not a usable Redis URI (" + e.getMessage() + ")");
    }
    try (resolver) {
      return resolver
          .resolve()
          .orElseThrow(
              () ->
                  SmarthostConfigurationException.forKey(
                      "redis " + RedisSmarthostResolver.DEFAULT_KEY,
                      "enabled",
                      "e-mail is switched off; nothing to check"));
    }
  }

  SmtpOptions smtpOptions() {
    SmtpOptions.Builder b = SmtpOptions.builder();
    trust.applyTo(b);
    Duration deadline = deadline();
    if (deadline.compareTo(SmtpOptions.DEFAULT_READ_TIMEOUT) < 0) {
      b.readTimeout(deadline).writeTimeout(deadline);
    }
    if (deadline.compareTo(SmtpOptions.DEFAULT_CONNECT_TIMEOUT) < 0) {
      b.connectTimeout(deadline);
    }
    return b.build();
  }

  Duration deadline() {
    return parseTimeout(timeout);
  }

  /** A {@code --timeout} value: 30s, 500ms, 2m or ISO-8601; at least 1 ms, at most 1 h. */
  static Duration parseTimeout(String timeout) {
    String t = timeout.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      } else if (t.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      } else {
        d = Duration.parse(timeout);
      }
      if (d.compareTo(Duration.ofMillis(1)) < 0) {
        throw new UsageException("--timeout: must be at least 1ms, but was " + timeout);
      }
      if (d.compareTo(SmtpConnectionValidator.MAX_DEADLINE) > 0) {
        throw new UsageException("--timeout: must be at most 1h, but was " + timeout);
      }
      return d;
    } catch (ArithmeticException e) {
      throw new UsageException("--timeout: must be at most 1h, but was " + timeout);
    } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
      throw new UsageException(
          "--timeout: '" + timeout + "' is not a duration such as 30s, 500ms or 2m");
    }
  }

  Optional<TestMessage> testMessage(boolean required) {
    if (from == null && to == null && !required) {
      return Optional.empty();
    }
    if (from == null || to == null) {
      throw new UsageException(
          (from == null ? "--from" : "--to")
              + ": required"
              + (required ? "" : " with " + (from == null ? "--to" : "--from")));
    }
    try {
      return Optional.of(TestMessage.of(from, to));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + e.getMessage());
    }
  }

  private static void field(String option, Runnable setter) {
    try {
      setter.run();
    } catch (InvalidSettingException e) {
      throw new UsageException(option + ": " + e.problem());
    }
  }
}
