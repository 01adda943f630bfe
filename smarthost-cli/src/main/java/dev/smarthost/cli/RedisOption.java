package dev.smarthost.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --redis URI} with its password options, shared by {@code check} and {@code serve}. Every
 * problem is a usage error naming the option; the URI is never echoed (it may hold a password).
 */
final class RedisOption {
  @Option(
      names = "--redis",
      paramLabel = "URI",
      description =
          "The cluster's Redis store: redis://host:port, or rediss://host:port for TLS (verified"
              + " against --trust-store, else the JDK's trust store).")
  @Nullable String redis;

  @Option(
      names = "--redis-password-file",
      paramLabel = "FILE",
      description = "Read the Redis password from the first line of FILE.")
  @Nullable Path passwordFile;

  @Option(
      names = "--redis-password-env",
      paramLabel = "VAR",
      description = "Read the Redis password from the environment variable VAR.")
  @Nullable String passwordEnv;

  boolean given() {
    return redis != null;
  }

  /**
   * The URI to connect to, with the password from the file or environment put in. Warns on {@code
   * err} when the URI itself carries a password.
   */
  URI uri(PrintWriter err) {
    if (redis == null) {
      throw new UsageException("--redis: required");
    }
    URI uri;
    try {
      uri = new URI(redis);
    } catch (URISyntaxException e) {
      throw new UsageException(
          "--redis: not a URI such as redis://127.0.0.1:6379 (" + e.getReason() + ")");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("redis") && !scheme.equals("rediss")) {
      throw new UsageException(
          "--redis: the scheme must be redis or rediss (TLS), such as redis://127.0.0.1:6379");
    }
    if (uri.getHost() == null) {
      throw new UsageException("--redis: no host, such as redis://127.0.0.1:6379");
    }
    String userInfo = uri.getRawUserInfo();
    boolean uriHasPassword = userInfo != null && userInfo.contains(":");
    String password = SecretOption.read("--redis-password", passwordFile, passwordEnv);
    if (password == null) {
      if (uriHasPassword) {
        err.println(
            "smarthost: warning: the --redis URI carries a password, which other users can see"
                + " in ps; use --redis-password-file or --redis-password-env");
        err.flush();
      }
      return uri;
    }
    if (uriHasPassword) {
      throw new UsageException(
          "--redis: carries a password and --redis-password-file/-env gives another; use one");
    }
    String user = userInfo == null || userInfo.isEmpty() ? "default" : userInfo;
    try {
      return new URI(
          scheme,
          user + ":" + password,
          uri.getHost(),
          uri.getPort(),
          uri.getPath(),
          uri.getQuery(),
          uri.getFragment());
    } catch (URISyntaxException e) {
      throw new UsageException("--redis: cannot add the password to the URI");
    }
  }
}
