package dev.smarthost.core.internal;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.PhaseTiming;
import dev.smarthost.core.ValidationPhase;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;

/**
 * Angus' SMTP transport with the check and the bookkeeping it lacks: with credentials it insists
 * that {@code AUTH} really happened, and it keeps a {@link ConnectionTrace} (greeting, EHLO reply,
 * TLS session, timings) for diagnostics. Registered as the session's {@code smtp} provider; used
 * for plain, STARTTLS and implicit TLS ({@code mail.smtp.ssl.enable}) alike.
 */
public class SmarthostTransport extends SMTPTransport {
  private static final int AUTH_SUCCEEDED = 235;

  private volatile ConnectionTrace trace = new ConnectionTrace(null);
  private volatile @Nullable Consumer<PhaseTiming> phases;
  private long dataStartNanos;
  private volatile @Nullable SocketCapture capture;
  private volatile boolean aborted;

  public SmarthostTransport(Session session, URLName urlname) {
    super(session, urlname, "smtp", false);
  }

  /**
   * Connects; with OAuth 2.0 settings the password is an access token from the session's {@link
   * TokenCache.Login}, and a cached token that the server rejects is replaced by a new one once (it
   * may have been revoked before it expired).
   */
  @Override
  protected synchronized boolean protocolConnect(
      String host, int port, @Nullable String user, @Nullable String password)
      throws MessagingException {
    Object login = session.getProperties().get(TokenCache.Login.PROPERTY);
    if (!(login instanceof TokenCache.Login) || user == null) {
      return connectOnce(host, port, user, password, 0, 0);
    }
    TokenCache.Login oauth2 = (TokenCache.Login) login;
    long start = System.nanoTime();
    TokenCache.Lease lease = lease(oauth2);
    try {
      return connectOnce(host, port, user, lease.token.value(), start, System.nanoTime());
    } catch (AuthenticationFailedException e) {
      if (lease.fresh || !isServerReply(e)) {
        throw e;
      }
      oauth2.cache.invalidate(oauth2.client, lease.token);
      start = System.nanoTime();
      lease = lease(oauth2);
      return connectOnce(host, port, user, lease.token.value(), start, System.nanoTime());
    }
  }

  private static TokenCache.Lease lease(TokenCache.Login login) throws TokenFailedException {
    try {
      return login.cache.lease(login.client, login.timeout);
    } catch (IOException e) {
      throw new TokenFailedException(e);
    }
  }

  /** A rejection the server sent (not a timeout, not "no common mechanism"). */
  private static boolean isServerReply(AuthenticationFailedException e) {
    String message = e.getMessage();
    return !(e.getCause() instanceof java.net.SocketTimeoutException)
        && message != null
        && message.length() >= 3
        && Character.isDigit(message.charAt(0));
  }

  private boolean connectOnce(
      String host,
      int port,
      @Nullable String user,
      @Nullable String password,
      long tokenStart,
      long tokenEnd)
      throws MessagingException {
    ConnectionTrace t = new ConnectionTrace(phases);
    trace = t;
    t.phase(ValidationPhase.TOKEN, tokenStart, tokenEnd);
    capture = SocketCapture.start();
    boolean connected;
    try {
      connected = super.protocolConnect(host, port, user, password);
    } finally {
      absorbCapture();
      capture.finish();
      capture = null;
    }
    if (!connected) {
      return false;
    }
    if (t.tlsSession == null && t.tlsStartNanos != 0 && lastTls != null) {
      t.tlsSession = lastTls.getSession();
    }
    if (user != null && password != null) {
      if (getLastReturnCode() != AUTH_SUCCEEDED) {
        try {
          close();
        } catch (MessagingException ignored) {
          // the refusal below is the failure that matters
        }
        int actualPort =
            port != -1 ? port : Integer.parseInt(session.getProperty("mail.smtp.port"));
        throw new AuthNotOfferedException(SmarthostSettings.authority(host, actualPort));
      }
      t.authenticated = true;
      t.phase(ValidationPhase.AUTH, t.lastEhloEndNanos);
    }
    return true;
  }

  private javax.net.ssl.@Nullable SSLSocket lastTls;

  /** Copies what the socket factories recorded so far into the trace. */
  private void absorbCapture() {
    SocketCapture c = capture;
    if (c == null) {
      return;
    }
    ConnectionTrace t = trace;
    if (t.connectedNanos == 0 && c.connectedNanos != 0) {
      t.connectedNanos = c.connectedNanos;
      t.socket = c.plain;
      closeIfAborted(c.plain);
    }
    if (c.tlsStartNanos != 0 && t.tlsStartNanos != c.tlsStartNanos) {
      t.tlsStartNanos = c.tlsStartNanos;
      lastTls = c.tls;
    }
  }

  @Override
  protected int readServerResponse() throws MessagingException {
    ConnectionTrace t = trace;
    if (t.greetingNanos == 0 && capture != null) {
      absorbCapture();
      long greetingStart = System.nanoTime();
      long connected = t.connectedNanos != 0 ? t.connectedNanos : greetingStart;
      t.phase(ValidationPhase.CONNECT, t.startNanos, connected);
      if (t.tlsStartNanos != 0) {
        // implicit TLS: the handshake came right after connecting, before the greeting
        t.phase(ValidationPhase.TLS, connected, greetingStart);
      }
      int code = super.readServerResponse();
      t.greeting = getLastServerResponse();
      t.greetingNanos = t.phase(ValidationPhase.GREETING, greetingStart);
      return code;
    }
    return super.readServerResponse();
  }

  @Override
  protected boolean ehlo(String domain) throws MessagingException {
    ConnectionTrace t = trace;
    absorbCapture();
    long start = System.nanoTime();
    boolean ok = super.ehlo(domain);
    if (ok) {
      t.ehloReply = getLastServerResponse();
    }
    t.lastEhloEndNanos = t.phase(ValidationPhase.EHLO, start);
    return ok;
  }

  @Override
  protected void helo(String domain) throws MessagingException {
    ConnectionTrace t = trace;
    long start = System.nanoTime();
    super.helo(domain);
    t.lastEhloEndNanos = t.phase(ValidationPhase.EHLO, start);
  }

  @Override
  protected void startTLS() throws MessagingException {
    ConnectionTrace t = trace;
    long start = System.nanoTime();
    super.startTLS();
    absorbCapture();
    if (lastTls != null) {
      t.tlsSession = lastTls.getSession();
    }
    t.phase(ValidationPhase.STARTTLS, start);
  }

  @Override
  protected void mailFrom() throws MessagingException {
    long start = System.nanoTime();
    super.mailFrom();
    trace.phase(ValidationPhase.MAIL, start);
  }

  @Override
  protected void rcptTo() throws MessagingException {
    long start = System.nanoTime();
    super.rcptTo();
    trace.phase(ValidationPhase.RCPT, start);
  }

  @Override
  protected OutputStream data() throws MessagingException {
    dataStartNanos = System.nanoTime();
    return super.data();
  }

  @Override
  protected void finishData() throws IOException, MessagingException {
    super.finishData();
    trace.phase(ValidationPhase.DATA, dataStartNanos);
  }

  @Override
  protected OutputStream bdat() throws MessagingException {
    dataStartNanos = System.nanoTime();
    return super.bdat();
  }

  @Override
  protected void finishBdat() throws IOException, MessagingException {
    super.finishBdat();
    trace.phase(ValidationPhase.DATA, dataStartNanos);
  }

  /**
   * Reports each step of the next connections and transactions to {@code sink} as it completes (the
   * validator's progress); null for none.
   */
  public void reportPhases(@Nullable Consumer<PhaseTiming> sink) {
    this.phases = sink;
  }

  /** Whether the socket is still open, without asking the server (no NOOP). */
  public boolean isConnectedWithoutNoop() {
    try {
      checkConnected();
    } catch (IllegalStateException e) {
      return false;
    }
    java.net.Socket socket = trace.socket;
    return socket == null || !socket.isClosed();
  }

  /**
   * Closes the socket from another thread, whatever the connection is doing (connecting, TLS
   * handshake, waiting for a reply, writing): the thread using it fails at once. Also closes a
   * socket that a connect still under way opens later.
   */
  public void abort() {
    aborted = true;
    SocketCapture c = capture;
    if (c != null) {
      closeQuietly(c.plain);
    }
    trace.abort();
  }

  private void closeIfAborted(java.net.@Nullable Socket socket) {
    if (aborted) {
      closeQuietly(socket);
    }
  }

  private static void closeQuietly(java.net.@Nullable Socket socket) {
    if (socket != null) {
      try {
        socket.close();
      } catch (java.io.IOException ignored) {
        // aborting anyway
      }
    }
  }

  /** The trace of the current (or last) connection attempt. */
  public ConnectionTrace trace() {
    return trace;
  }

  /** The server's greeting on the current connection. */
  public Optional<String> greeting() {
    return trace.greeting();
  }

  /** The TLS session of the current connection, if it is encrypted. */
  public Optional<SSLSession> tlsSession() {
    return trace.tlsSession();
  }

  /** Whether the current connection authenticated with the configured credentials. */
  public boolean authenticated() {
    return trace.authenticated();
  }
}
