package dev.smarthost.core.internal;

import dev.smarthost.SmarthostSettings;
import jakarta.mail.Session;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SmarthostTransport} needs beyond Angus' own {@code mail.smtp.*} keys, as values: put
 * into the session's properties by {@code SmtpProperties} under {@link #PROPERTY} and read back as
 * it is, so that no setting becomes a string on its way to the socket and is parsed again.
 *
 * @param settings the settings the session was made for (host, port, credentials)
 * @param writeTimeout how long one write to the socket may block
 * @param pipelining whether to pipeline the envelope when the server offers PIPELINING
 * @param chunking whether to send with BDAT when the server offers CHUNKING
 * @param login the OAuth 2.0 login, with OAuth 2.0 settings
 */
public record TransportConfig(
    SmarthostSettings settings,
    Duration writeTimeout,
    boolean pipelining,
    boolean chunking,
    TokenCache.@Nullable Login login) {

  /** The session property that holds the configuration. */
  public static final String PROPERTY = "mail.smtp.smarthost.transport";

  /** Checks the components. */
  public TransportConfig {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
  }

  /** The configuration of a session made by {@code SmarthostSessionFactory}. */
  static TransportConfig of(Session session) {
    if (session.getProperties().get(PROPERTY) instanceof TransportConfig config) {
      return config;
    }
    throw new IllegalStateException(
        "the session has no smarthost transport configuration: create it with"
            + " SmarthostSessionFactory (or SmtpProperties.of)");
  }

  @Override
  public String toString() {
    // the settings' own toString never shows the password
    return "TransportConfig{"
        + settings
        + ", pipelining="
        + pipelining
        + ", chunking="
        + chunking
        + "}";
  }
}
