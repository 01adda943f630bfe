package dev.smarthost.core.settings;

import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads the cluster's {@code SMTP_*} keys (the same as {@link EnvFileSmarthostResolver}'s) from
 * environment variables, as containers receive them. The environment does not change, so the
 * settings are parsed once; other variables are ignored.
 */
public final class EnvironmentSmarthostResolver implements SmarthostResolver {
  private final Map<String, String> environment;
  private final String source;

  /** The settings once parsed (the environment does not change): the answer, never re-read. */
  private record Parsed(Optional<SmarthostSettings> settings) {}

  private volatile @Nullable Parsed parsed;
  private volatile @Nullable SmarthostConfigurationException error;

  private EnvironmentSmarthostResolver(Map<String, String> environment, String source) {
    this.environment = Map.copyOf(environment);
    this.source = source;
  }

  /**
   * Creates a resolver over the given variables, for tests and for applications that load the
   * environment themselves.
   *
   * @param environment variable names to values
   * @return the resolver
   */
  public static EnvironmentSmarthostResolver of(Map<String, String> environment) {
    return new EnvironmentSmarthostResolver(environment, "environment");
  }

  /**
   * Creates a resolver over this process' environment ({@link System#getenv()}).
   *
   * @return the resolver
   */
  public static EnvironmentSmarthostResolver system() {
    return new EnvironmentSmarthostResolver(System.getenv(), "environment");
  }

  /**
   * Returns the settings from the environment.
   *
   * @return the settings, or empty if {@code SMTP_ENABLED} is not {@code 1}
   * @throws SmarthostConfigurationException naming the variable if a value is invalid
   */
  @Override
  public Optional<SmarthostSettings> resolve() {
    Parsed p = parsed;
    if (p != null) {
      return p.settings();
    }
    SmarthostConfigurationException e = error;
    if (e != null) {
      throw e;
    }
    try {
      Optional<SmarthostSettings> s = EnvSettings.ofEnvironment(source, environment).toSettings();
      parsed = new Parsed(s);
      return s;
    } catch (SmarthostConfigurationException failure) {
      error = failure;
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "EnvironmentSmarthostResolver";
  }
}
