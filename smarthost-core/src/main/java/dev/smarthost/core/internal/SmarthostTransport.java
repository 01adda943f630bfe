package dev.smarthost.core.internal;

import dev.smarthost.core.session.ValidationPhase;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import jakarta.mail.event.TransportEvent;
import jakarta.mail.event.TransportListener;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Vector;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;

/**
 * The session's {@code smtp} provider (plain, STARTTLS and implicit TLS alike), on top of the
 * traced Angus transport: with credentials it insists that {@code AUTH} really happened, with OAuth
 * 2.0 settings it logs in with a token from the {@link TokenCache}, and it sends a message with
 * PIPELINING and CHUNKING where the server offers them ({@link PipelinedTransaction}).
 */
public class SmarthostTransport extends TracingTransport {
  private static final int AUTH_SUCCEEDED = 235;

  // a Vector because Angus' queueEvent takes one
  @SuppressWarnings("JdkObsolete")
  private final Vector<TransportListener> listeners = new Vector<>();

  public SmarthostTransport(Session session, URLName urlname) {
    super(session, urlname);
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
    TokenCache.Login oauth2 = config().login();
    if (oauth2 == null || user == null) {
      return connectOnce(host, port, user, password, 0, 0);
    }
    long start = System.nanoTime();
    TokenCache.Lease lease = lease(oauth2);
    try {
      return connectOnce(host, port, user, lease.token.value(), start, System.nanoTime());
    } catch (AuthenticationFailedException e) {
      if (lease.fresh || !isServerReply(e)) {
        throw e;
      }
      oauth2.cache().invalidate(oauth2.client(), lease.token);
      start = System.nanoTime();
      lease = lease(oauth2);
      return connectOnce(host, port, user, lease.token.value(), start, System.nanoTime());
    }
  }

  private static TokenCache.Lease lease(TokenCache.Login login) throws TokenFailedException {
    try {
      return login.cache().lease(login.client(), login.timeout());
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
    if (!tracedConnect(host, port, user, password, tokenStart, tokenEnd)) {
      return false;
    }
    if (user != null && password != null) {
      if (getLastReturnCode() != AUTH_SUCCEEDED) {
        try {
          close();
        } catch (MessagingException ignored) {
          // the refusal below is the failure that matters
        }
        throw new AuthNotOfferedException(config().settings().authority());
      }
      ConnectionTrace t = trace();
      t.authenticated = true;
      t.phase(ValidationPhase.AUTH, t.lastEhloEndNanos);
    }
    return true;
  }

  /**
   * Sends with PIPELINING and CHUNKING when the server offers them ({@link PipelinedTransaction});
   * otherwise Angus' command-by-command conversation. Outcomes are reported the same either way.
   */
  @Override
  public synchronized void sendMessage(Message message, Address[] addresses)
      throws MessagingException {
    checkConnected();
    PipelinedTransaction transaction = PipelinedTransaction.prepare(this, message, addresses);
    if (transaction == null) {
      trace().transactionDone(0, false, false);
      super.sendMessage(message, addresses);
    } else {
      transaction.send();
    }
  }

  /** The output of the connection's top socket with the write timeout; null if unknown. */
  @Nullable OutputStream wire() {
    java.net.Socket plain = trace().socket;
    java.net.Socket top = topSocket();
    if (plain == null || top == null || top.isClosed()) {
      return null;
    }
    try {
      long timeout = config().writeTimeout().toMillis();
      return new java.io.BufferedOutputStream(
          new TimedWire(top.getOutputStream(), plain, timeout), 16 * 1024);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  Session session() {
    return session;
  }

  /** The settings and options the session was made with, as values. */
  TransportConfig config() {
    return TransportConfig.of(session);
  }

  /** The next reply, as Angus reads it (sets the last server response). */
  int reply() throws MessagingException {
    return readServerResponse();
  }

  /** A command written past Angus' stream, shown in the debug trace as Angus shows its own. */
  void traceCommand(String command) {
    if (session.getDebug()) {
      session.getDebugOut().println(command);
    }
  }

  /** Angus' xtext encoding of the MAIL FROM {@code AUTH=} submitter. */
  static String submitterText(String text, boolean utf8) {
    return SMTPTransport.xtext(text, utf8);
  }

  void closeQuietly() {
    try {
      close();
    } catch (MessagingException | RuntimeException ignored) {
      // the connection is given up anyway
    }
  }

  /**
   * Tells the transport listeners; Angus' own notification fires only once between two of its
   * {@code sendMessage} calls, so this path queues the event itself.
   */
  void notifyTransport(
      int type,
      Address @Nullable [] sent,
      Address @Nullable [] unsent,
      Address @Nullable [] invalid,
      Message message) {
    if (!listeners.isEmpty()) {
      queueEvent(new TransportEvent(this, type, sent, unsent, invalid, message), listeners);
    }
  }

  @Override
  public synchronized void addTransportListener(TransportListener l) {
    listeners.add(l);
    super.addTransportListener(l);
  }

  @Override
  public synchronized void removeTransportListener(TransportListener l) {
    listeners.remove(l);
    super.removeTransportListener(l);
  }
}
