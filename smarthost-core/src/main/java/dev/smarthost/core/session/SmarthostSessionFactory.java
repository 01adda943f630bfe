package dev.smarthost.core.session;

import dev.smarthost.Authentication;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.internal.Slf4jDebugOutput;
import dev.smarthost.core.internal.SmarthostTransport;
import jakarta.mail.Authenticator;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Provider;
import jakarta.mail.Session;
import java.util.Objects;

/**
 * Turns smarthost settings into a configured {@link Session}: the properties of {@link
 * SmtpProperties}, an {@link Authenticator} when there are credentials, and the smarthost transport
 * as the {@code smtp} provider. That transport refuses to continue when credentials are set but the
 * server accepted no {@code AUTH} (Angus alone would send unauthenticated).
 *
 * <pre>{@code
 * Session session = new SmarthostSessionFactory(SmtpOptions.defaults()).session(settings);
 * Transport.send(message); // or session.getTransport() to reuse one connection
 * }</pre>
 *
 * <p>Thread-safe. Sessions are cheap; create one per settings value and keep it while the settings
 * hold.
 */
public final class SmarthostSessionFactory {
  private static final Provider TRANSPORT =
      new Provider(
          Provider.Type.TRANSPORT,
          "smtp",
          SmarthostTransport.class.getName(),
          "dev.smarthost",
          SmarthostSessionFactory.class.getPackage().getImplementationVersion());

  private final SmtpOptions options;

  /**
   * Creates a factory.
   *
   * @param options timeouts, trust and EHLO name for every session
   */
  public SmarthostSessionFactory(SmtpOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Returns the options every session gets.
   *
   * @return the options
   */
  public SmtpOptions options() {
    return options;
  }

  /**
   * Creates a session for these settings.
   *
   * @param settings the smarthost
   * @return a new session whose transports connect to it
   */
  public Session session(SmarthostSettings settings) {
    Session session =
        Session.getInstance(
            SmtpProperties.of(settings, options),
            settings.authentication() == Authentication.PASSWORD
                ? new FixedAuthenticator(settings)
                : null); // OAuth 2.0: the transport takes a token from the session's properties
    try {
      session.setProvider(TRANSPORT);
    } catch (jakarta.mail.NoSuchProviderException e) {
      throw new IllegalStateException("cannot register the smarthost transport", e);
    }
    if (options.debug() && Slf4jDebugOutput.enabled()) {
      session.setDebugOut(Slf4jDebugOutput.printStream());
      session.setDebug(true);
    }
    return session;
  }

  private static final class FixedAuthenticator extends Authenticator {
    private final PasswordAuthentication authentication;

    FixedAuthenticator(SmarthostSettings settings) {
      this.authentication =
          new PasswordAuthentication(
              settings.username().orElseThrow(), settings.password().orElseThrow());
    }

    @Override
    protected PasswordAuthentication getPasswordAuthentication() {
      return authentication;
    }
  }
}
