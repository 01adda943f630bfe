package dev.smarthost.core.internal;

import dev.smarthost.core.session.PhaseTiming;
import dev.smarthost.core.session.ValidationPhase;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.URLName;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.jspecify.annotations.Nullable;

/**
 * Angus' SMTP transport that records what each connection reached in a {@link ConnectionTrace}
 * (sockets, greeting, EHLO reply, TLS session, the time of every step) and can be aborted from
 * another thread. {@link SmarthostTransport} adds the checks and the sending on top.
 */
public abstract class TracingTransport extends SMTPTransport {
  private volatile ConnectionTrace trace = new ConnectionTrace(null);
  private volatile @Nullable Consumer<PhaseTiming> phases;
  private long dataStartNanos;
  private volatile @Nullable SocketCapture capture;
  private volatile boolean aborted;
  private volatile @Nullable SSLSocket lastTls;

  TracingTransport(Session session, URLName urlname) {
    super(session, urlname, "smtp", false);
  }

  /**
   * Angus' connect with a new trace: the sockets the factories make on this thread are captured
   * into it, and a token fetched before ({@code tokenStart} to {@code tokenEnd}, 0 for none) is its
   * first step.
   */
  final boolean tracedConnect(
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
    SocketCapture c = SocketCapture.start();
    capture = c;
    boolean connected;
    try {
      connected = super.protocolConnect(host, port, user, password);
    } finally {
      absorbCapture();
      c.finish();
      capture = null;
    }
    SSLSocket tls = lastTls;
    if (connected && t.tlsSession == null && t.tlsStartNanos != 0 && tls != null) {
      t.tlsSession = tls.getSession();
    }
    return connected;
  }

  /** The socket commands go to: the TLS socket once TLS started, else the plain one. */
  @Nullable Socket topSocket() {
    ConnectionTrace t = trace;
    return t.tlsStartNanos != 0 ? lastTls : t.socket;
  }

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
      t.greetingNanos = System.nanoTime();
      if (code == 220) { // a refusing greeting is the failure, not a step that succeeded
        t.phase(ValidationPhase.GREETING, greetingStart, t.greetingNanos);
      }
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
    if (ok) { // refused: Angus tries HELO, which reports the step if it succeeds
      t.ehloReply = getLastServerResponse();
      t.lastEhloEndNanos = t.phase(ValidationPhase.EHLO, start);
    }
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
    SSLSocket tls = lastTls;
    if (tls != null) {
      t.tlsSession = tls.getSession();
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
      closeSocket(c.plain);
    }
    trace.abort();
  }

  private void closeIfAborted(java.net.@Nullable Socket socket) {
    if (aborted) {
      closeSocket(socket);
    }
  }

  private static void closeSocket(java.net.@Nullable Socket socket) {
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
