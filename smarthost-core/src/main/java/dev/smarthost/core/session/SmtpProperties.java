package dev.smarthost.core.session;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.internal.TokenCache;
import dev.smarthost.core.internal.TracingSocketFactory;
import dev.smarthost.core.internal.TransportConfig;
import dev.smarthost.core.internal.WriteTimeouts;
import java.util.Properties;

/**
 * The one mapping from settings and options to Angus Mail session properties. Pure: the same input
 * gives equal properties (the socket factory and executor objects are shared, not created per
 * call), so tests can read exactly what a session will do.
 *
 * <p>Every key uses the {@code mail.smtp.} prefix; implicit TLS is {@code smtp} with {@code
 * mail.smtp.ssl.enable=true}, never the {@code smtps} protocol, because mixing the two makes Angus
 * ignore the socket factory. What it sets, and why:
 *
 * <ul>
 *   <li>finite {@code connectiontimeout}, {@code timeout} and {@code writetimeout} (Angus' defaults
 *       are infinite), with one shared {@code executor.writetimeout};
 *   <li>STARTTLS: {@code starttls.enable} and {@code starttls.required} (enable alone silently
 *       stays in clear text); TLS: {@code ssl.enable};
 *   <li>a plain {@code socketFactory} that sets {@code TCP_NODELAY} and traces the connect;
 *   <li>always the smarthost {@code ssl.socketFactory} (verifying, or trusting all only when
 *       verification is off) with {@code socketFactory.fallback=false}, and {@code
 *       ssl.checkserveridentity} equal to {@link SmarthostSettings#verifyTls()}; never {@code
 *       ssl.trust};
 *   <li>with OAuth 2.0: {@code auth.mechanisms=XOAUTH2} only (a token never goes out as a PLAIN
 *       password);
 *   <li>under {@code mail.smtp.smarthost.transport}, not as strings, what the smarthost transport
 *       reads: the settings themselves (port and credentials), the write timeout, whether it may
 *       pipeline the transaction and send the message with BDAT when the server offers them (Angus'
 *       own {@code chunksize} stays unset: its BDAT dot-stuffs the message), and the OAuth 2.0
 *       token cache it takes a token from when it connects;
 *   <li>{@code localhost} (the EHLO name; Angus' reverse lookup is slow) and {@code auth=true} only
 *       with credentials.
 * </ul>
 */
public final class SmtpProperties {
  private static final String P = "mail.smtp.";

  private SmtpProperties() {}

  /**
   * Maps settings and options to session properties.
   *
   * @param settings the smarthost
   * @param options timeouts, trust, EHLO name
   * @return new, mutable properties for {@code jakarta.mail.Session.getInstance}
   */
  public static Properties of(SmarthostSettings settings, SmtpOptions options) {
    Properties p = new Properties();
    p.setProperty("mail.transport.protocol", "smtp");
    p.setProperty(P + "host", settings.host());
    p.setProperty(P + "port", Integer.toString(settings.port()));
    p.setProperty(P + "connectiontimeout", millis(options.connectTimeout().toMillis()));
    p.setProperty(P + "timeout", millis(options.readTimeout().toMillis()));
    p.setProperty(P + "writetimeout", millis(options.writeTimeout().toMillis()));
    p.put(P + "executor.writetimeout", WriteTimeouts.executor());
    p.setProperty(P + "localhost", options.ehloName());

    Encryption encryption = settings.encryption();
    p.setProperty(P + "starttls.enable", bool(encryption == Encryption.STARTTLS));
    p.setProperty(P + "starttls.required", bool(encryption == Encryption.STARTTLS));
    p.setProperty(P + "ssl.enable", bool(encryption == Encryption.TLS));
    p.put(P + "socketFactory", TracingSocketFactory.instance());
    p.put(P + "ssl.socketFactory", options.socketFactory(settings.verifyTls()));
    p.setProperty(P + "socketFactory.fallback", "false");
    p.setProperty(P + "ssl.checkserveridentity", bool(settings.verifyTls()));
    p.setProperty(P + "ssl.protocols", String.join(" ", options.tlsProtocols()));

    p.setProperty(P + "auth", bool(settings.hasCredentials()));
    p.setProperty(P + "auth.mechanisms", String.join(" ", options.authMechanisms()));
    settings.username().ifPresent(user -> p.setProperty(P + "user", user));
    TokenCache.Login login =
        settings
            .oauth2Client()
            .map(
                client ->
                    new TokenCache.Login(client, options.tokenCache(), options.tokenTimeout()))
            .orElse(null);
    if (login != null) {
      // Only XOAUTH2: a token must never go out as a PLAIN or LOGIN password.
      p.setProperty(P + "auth.mechanisms", "XOAUTH2");
    }
    // What our transport reads, as values (Angus reads the strings above).
    p.put(
        TransportConfig.PROPERTY,
        new TransportConfig(
            settings, options.writeTimeout(), options.pipelining(), options.chunking(), login));
    p.setProperty("mail.debug.auth", "false");
    return p;
  }

  private static String millis(long millis) {
    return Long.toString(millis);
  }

  private static String bool(boolean value) {
    return Boolean.toString(value);
  }
}
