package dev.smarthost.core.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;

/**
 * Angus' SMTP transport with the two checks and the bookkeeping it lacks: with credentials it
 * insists that {@code AUTH} really happened, and it keeps the server greeting and the TLS session
 * for diagnostics. Registered as the session's {@code smtp} provider; used for plain, STARTTLS and
 * implicit TLS ({@code mail.smtp.ssl.enable}) alike.
 */
public class SmarthostTransport extends SMTPTransport {
  private static final int AUTH_SUCCEEDED = 235;

  private @Nullable String greeting;
  private @Nullable SSLSession tlsSession;
  private boolean authenticated;

  public SmarthostTransport(Session session, URLName urlname) {
    super(session, urlname, "smtp", false);
  }

  @Override
  protected synchronized boolean protocolConnect(
      String host, int port, @Nullable String user, @Nullable String password)
      throws MessagingException {
    greeting = null;
    tlsSession = null;
    authenticated = false;
    TlsCapture capture = TlsCapture.start();
    boolean connected;
    SSLSocket tls;
    try {
      connected = super.protocolConnect(host, port, user, password);
    } finally {
      tls = capture.finish();
    }
    if (!connected) {
      return false;
    }
    if (tls != null) {
      tlsSession = tls.getSession();
    }
    if (user != null && password != null) {
      if (getLastReturnCode() != AUTH_SUCCEEDED) {
        try {
          close();
        } catch (MessagingException ignored) {
          // the refusal below is the failure that matters
        }
        throw new AuthNotOfferedException(
            (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port);
      }
      authenticated = true;
    }
    return true;
  }

  @Override
  protected boolean ehlo(String domain) throws MessagingException {
    keepGreeting();
    return super.ehlo(domain);
  }

  @Override
  protected void helo(String domain) throws MessagingException {
    keepGreeting();
    super.helo(domain);
  }

  private void keepGreeting() {
    if (greeting == null) {
      greeting = getLastServerResponse();
    }
  }

  /** The server's 220 greeting of the current connection. */
  public synchronized Optional<String> greeting() {
    return Optional.ofNullable(greeting);
  }

  /** The TLS session of the current connection, if it is encrypted. */
  public synchronized Optional<SSLSession> tlsSession() {
    return Optional.ofNullable(tlsSession);
  }

  /** Whether the current connection authenticated with the configured credentials. */
  public synchronized boolean authenticated() {
    return authenticated;
  }
}
