package dev.smarthost.core.internal;

import dev.smarthost.SmarthostSettings;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.util.Optional;
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

  private volatile ConnectionTrace trace = new ConnectionTrace();
  private volatile @Nullable SocketCapture capture;
  private volatile boolean aborted;

  public SmarthostTransport(Session session, URLName urlname) {
    super(session, urlname, "smtp", false);
  }

  @Override
  protected synchronized boolean protocolConnect(
      String host, int port, @Nullable String user, @Nullable String password)
      throws MessagingException {
    ConnectionTrace t = new ConnectionTrace();
    trace = t;
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
    }
    t.endNanos = System.nanoTime();
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
    if (t.greetingStartNanos == 0 && capture != null) {
      absorbCapture();
      t.greetingStartNanos = System.nanoTime();
      if (t.tlsStartNanos != 0 && t.tlsEndNanos == 0) {
        t.tlsEndNanos =
            t.greetingStartNanos; // implicit TLS: the handshake came before the greeting
      }
      int code = super.readServerResponse();
      t.greetingNanos = System.nanoTime();
      t.greeting = getLastServerResponse();
      return code;
    }
    return super.readServerResponse();
  }

  @Override
  protected boolean ehlo(String domain) throws MessagingException {
    ConnectionTrace t = trace;
    absorbCapture();
    long start = System.nanoTime();
    if (t.tlsStartNanos != 0 && t.tlsEndNanos == 0) {
      t.tlsEndNanos = start; // STARTTLS: the handshake came before this second EHLO
      if (lastTls != null) {
        t.tlsSession = lastTls.getSession();
      }
    }
    try {
      boolean ok = super.ehlo(domain);
      if (ok) {
        t.ehloReply = getLastServerResponse();
      }
      return ok;
    } finally {
      long end = System.nanoTime();
      t.ehloNanos += end - start;
      t.lastEhloEndNanos = end;
    }
  }

  @Override
  protected void helo(String domain) throws MessagingException {
    ConnectionTrace t = trace;
    long start = System.nanoTime();
    try {
      super.helo(domain);
    } finally {
      long end = System.nanoTime();
      t.ehloNanos += end - start;
      t.lastEhloEndNanos = end;
    }
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
