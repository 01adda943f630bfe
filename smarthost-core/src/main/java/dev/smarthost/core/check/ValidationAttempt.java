package dev.smarthost.core.check;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.internal.ConnectionTrace;
import dev.smarthost.core.internal.FailureClassifier;
import dev.smarthost.core.internal.FailureHints;
import dev.smarthost.core.internal.SmarthostTransport;
import dev.smarthost.core.internal.TlsProbe;
import dev.smarthost.core.session.PhaseTiming;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.session.ValidationPhase;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One connection check of {@link SmtpConnectionValidator}, run on a worker thread so that the
 * caller can give up at the deadline: it reports each phase, then {@link #DONE}, on {@link
 * #events}, which the calling thread drains.
 */
final class ValidationAttempt {
  /** The attempt has ended (its verdict is in {@code failure}). */
  static final Object DONE = new Object();

  /** The second connection's TLS handshake succeeded. */
  static final Object SPEAKS_TLS = new Object();

  /** The second connection's TLS handshake failed. */
  static final Object NO_TLS = new Object();

  private final SmarthostSettings settings;
  private final @Nullable TestMessage message;
  private final SmtpOptions options;
  private volatile @Nullable SmarthostTransport transport;
  volatile @Nullable SmtpFailure failure;
  private volatile long resolveNanos;
  private volatile long sendStartNanos;
  private volatile boolean sent;
  final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

  private final HostLookups lookups;
  private final Duration deadline;

  ValidationAttempt(
      SmarthostSettings settings,
      @Nullable TestMessage message,
      SmtpOptions options,
      HostLookups lookups,
      Duration deadline) {
    this.settings = settings;
    this.message = message;
    this.options = options;
    this.lookups = lookups;
    this.deadline = deadline;
  }

  void runAndSignal() {
    try {
      run();
    } catch (RuntimeException | Error e) {
      failure = FailureClassifier.classify(e, trace());
    } finally {
      events.add(DONE);
    }
  }

  /** On a second connection: whether the port completes a TLS handshake, as an event. */
  void probeTls(Duration timeout) {
    boolean tls = false;
    try {
      tls = TlsProbe.speaksTls(settings.host(), settings.port(), timeout);
    } finally {
      events.add(tls ? SPEAKS_TLS : NO_TLS);
    }
  }

  /** Connected, and no greeting yet. */
  /**
   * Whether the connection has waited this long for the greeting (measured from the connect, not
   * from the start: an OAuth 2.0 token request may come first).
   */
  boolean waitsForGreeting(long nanos) {
    ConnectionTrace t = trace();
    return t != null && t.waitingForGreetingNanos() >= nanos;
  }

  private void run() {
    long start = System.nanoTime();
    try {
      lookups.lookup(settings.host(), deadline);
      resolveNanos = System.nanoTime() - start;
      events.add(PhaseTiming.of(ValidationPhase.RESOLVE, Duration.ofNanos(resolveNanos)));
    } catch (UnknownHostException e) {
      resolveNanos = System.nanoTime() - start;
      failure = FailureClassifier.classify(e, null);
      return;
    } catch (TimeoutException e) {
      failure =
          FailureClassifier.of(
              FailureKind.UNKNOWN_HOST,
              "looking up " + settings.host() + " took longer than the deadline of " + deadline);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = FailureClassifier.of(FailureKind.UNKNOWN_HOST, "interrupted while looking up");
      return;
    }
    Session session = new SmarthostSessionFactory(options).session(settings);
    SmarthostTransport t;
    try {
      t = (SmarthostTransport) session.getTransport("smtp");
    } catch (MessagingException e) {
      failure = FailureClassifier.classify(e, null);
      return;
    }
    t.reportPhases(events::add);
    transport = t;
    try {
      t.connect();
      if (message == null) {
        probeMailFrom(t);
      } else {
        send(session, t, message);
      }
    } catch (MessagingException | RuntimeException e) {
      failure = FailureClassifier.classify(e, t.trace());
    } finally {
      try {
        t.close();
      } catch (MessagingException ignored) {
        // QUIT failed after the verdict; nothing to add
      }
    }
  }

  /** Without a test message, MAIL FROM:&lt;&gt; tells whether the server demands AUTH (530). */
  private void probeMailFrom(SmarthostTransport t) throws MessagingException {
    long start = System.nanoTime();
    int code = t.simpleCommand("MAIL FROM:<>");
    events.add(PhaseTiming.of(ValidationPhase.MAIL, Duration.ofNanos(System.nanoTime() - start)));
    if (code == 530) {
      String reply = t.getLastServerResponse().strip();
      failure =
          FailureClassifier.failure(
              FailureKind.AUTHENTICATION_REQUIRED, code, reply, "MAIL FROM:<> -> " + reply);
      return;
    }
    // Angus answers -1 instead of throwing when the server has hung up (EOF); a reset throws.
    // Either way the server is gone, whichever the race between the two gives.
    if (code < 0 || t.simpleCommand("RSET") < 0) {
      failure =
          FailureClassifier.of(
              FailureKind.PROTOCOL_ERROR, "MAIL FROM:<> -> the server closed the connection [EOF]");
    }
  }

  private void send(Session session, SmarthostTransport t, TestMessage m)
      throws MessagingException {
    sendStartNanos = System.nanoTime();
    MimeMessage mail = new MimeMessage(session);
    mail.setFrom(m.from());
    mail.setRecipient(Message.RecipientType.TO, m.to());
    mail.setSubject("smarthost connection check", "UTF-8");
    mail.setText(
        "This message was sent to check the smarthost settings ("
            + settings.authority()
            + ") at "
            + Instant.now()
            + ".\n",
        "UTF-8");
    t.sendMessage(mail, new Address[] {m.to()});
    sent = true;
  }

  @Nullable ConnectionTrace trace() {
    SmarthostTransport t = transport;
    return t == null ? null : t.trace();
  }

  void abort() {
    SmarthostTransport t = transport;
    if (t != null) {
      t.abort();
    }
  }

  SmtpFailure expectsTls(Duration after) {
    return FailureClassifier.of(
        FailureKind.SERVER_EXPECTS_TLS,
        "no greeting after "
            + after.toMillis()
            + " ms, and a TLS handshake on a second connection succeeded");
  }

  SmtpFailure deadlineExceeded(Duration after) {
    ConnectionTrace trace = trace();
    String detail = "total deadline of " + after.toMillis() + " ms exceeded";
    FailureKind kind;
    if (trace == null || !trace.connected()) {
      kind = resolveNanos == 0 ? FailureKind.UNKNOWN_HOST : FailureKind.CONNECT_TIMEOUT;
    } else if (!trace.greeted()) {
      kind = FailureKind.NO_GREETING;
    } else {
      kind = FailureKind.READ_TIMEOUT;
    }
    return FailureClassifier.of(kind, detail);
  }

  ValidationResult result(
      @Nullable SmtpFailure failure,
      List<PhaseTiming> phases,
      Duration total,
      SmtpOptions original) {
    ConnectionTrace trace = trace();
    String greeting = null;
    List<String> extensions = List.of();
    TlsDetails tls = null;
    if (trace != null) {
      greeting = trace.greeting().map(String::strip).orElse(null);
      extensions = trace.ehloExtensions();
      tls = trace.tlsSession().map(TlsDetails::of).orElse(null);
    }
    SmtpFailure withHint =
        failure == null
            ? null
            : FailureHints.withHint(failure, settings, original.connectTimeout(), phaseName(trace));
    return new ValidationResult(settings, withHint, phases, total, greeting, extensions, tls, sent);
  }

  private String phaseName(@Nullable ConnectionTrace trace) {
    if (sendStartNanos != 0) {
      return "sending the test message";
    }
    if (trace == null || !trace.greeted()) {
      return "the greeting";
    }
    if (settings.hasCredentials() && !trace.authenticated()) {
      return "EHLO, STARTTLS or authentication";
    }
    return "the SMTP conversation";
  }
}
