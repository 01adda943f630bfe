package dev.smarthost.core.check;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.internal.ConnectionTrace;
import dev.smarthost.core.internal.DeadlineExceededException;
import dev.smarthost.core.internal.FailureClassifier;
import dev.smarthost.core.internal.FailureContext;
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
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeoutException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;

/**
 * One connection check of {@link SmtpConnectionValidator}, run on a worker thread so that the
 * caller can give up at the deadline: it reports each phase, then {@link Done}, on {@link #events},
 * which the calling thread drains.
 */
final class ValidationAttempt {
  /** What the attempt tells the calling thread. */
  sealed interface Event permits Phase, Done, TlsAnswer {}

  /** A step completed. */
  record Phase(PhaseTiming timing) implements Event {}

  /** The attempt has ended; its verdict is in {@link #error}. */
  record Done() implements Event {}

  /** The second connection's answer: whether it completed a TLS handshake. */
  record TlsAnswer(boolean speaksTls) implements Event {}

  private final SmarthostSettings settings;
  private final @Nullable TestMessage message;
  private final SmtpOptions options;
  private volatile @Nullable SmarthostTransport transport;

  /** What ended the attempt; null if it succeeded (or has not ended). */
  volatile @Nullable Throwable error;

  private volatile boolean resolved;

  /** The address the lookup found, for the TLS probe (which must not look the host up again). */
  private volatile @Nullable InetAddress address;

  private volatile long sendStartNanos;
  private volatile boolean sent;
  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

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
      error = e;
    } finally {
      events.add(new Done());
    }
  }

  /** On a second connection: whether the port completes a TLS handshake, as an event. */
  void probeTls(Duration timeout) {
    boolean tls = false;
    try {
      tls = speaksTls(timeout);
    } finally {
      events.add(new TlsAnswer(tls));
    }
  }

  /**
   * Whether the port completes a TLS handshake on a second connection, to the address already
   * looked up.
   */
  boolean speaksTls(Duration timeout) {
    InetAddress a = address;
    return a != null
        && TlsProbe.speaksTls(new InetSocketAddress(a, settings.port()), settings.host(), timeout);
  }

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
      address = lookups.lookup(settings.host(), deadline)[0];
      resolved = true;
      phase(ValidationPhase.RESOLVE, start);
    } catch (UnknownHostException e) {
      error = e;
      return;
    } catch (TimeoutException e) {
      error = new DeadlineExceededException("looking up " + settings.host(), deadline);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = e;
      return;
    }
    Session session = new SmarthostSessionFactory(options).session(settings);
    SmarthostTransport t;
    try {
      t = (SmarthostTransport) session.getTransport("smtp");
    } catch (MessagingException e) {
      error = e;
      return;
    }
    t.reportPhases(timing -> events.add(new Phase(timing)));
    transport = t;
    try {
      t.connect();
      if (message == null) {
        probeMailFrom(t);
      } else {
        send(session, t, message);
      }
    } catch (MessagingException | RuntimeException e) {
      error = e;
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
    if (code / 100 == 2) {
      phase(ValidationPhase.MAIL, start);
    }
    if (code == 530) {
      // what Angus throws when MAIL FROM is refused, so that the classifier reads it as such
      error =
          new SMTPSenderFailedException(
              new InternetAddress(), "MAIL FROM:<>", code, t.getLastServerResponse().strip());
      return;
    }
    // Angus answers -1 instead of throwing when the server has hung up (EOF); a reset throws.
    // Either way the server is gone, whichever the race between the two gives.
    if (code < 0 || t.simpleCommand("RSET") < 0) {
      error = new MessagingException("MAIL FROM:<> -> the server closed the connection [EOF]");
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

  private void phase(ValidationPhase phase, long startNanos) {
    events.add(new Phase(PhaseTiming.of(phase, Duration.ofNanos(System.nanoTime() - startNanos))));
  }

  /**
   * The verdict on what ended the attempt, told how far it got.
   *
   * @param answersTls whether a second connection completed a TLS handshake
   * @param connectTimeout the connect timeout the hint quotes
   */
  SmtpFailure classify(Throwable failure, boolean answersTls, Duration connectTimeout) {
    FailureContext context = FailureContext.checking(settings, connectTimeout).withTrace(trace());
    if (resolved) {
      context = context.afterLookup();
    }
    if (sendStartNanos != 0) {
      context = context.withTestMessage();
    }
    return FailureClassifier.classify(failure, answersTls ? context.answeringTls() : context);
  }

  ValidationResult result(@Nullable SmtpFailure failure, List<PhaseTiming> phases, Duration total) {
    ConnectionTrace trace = trace();
    String greeting = null;
    List<String> extensions = List.of();
    TlsDetails tls = null;
    if (trace != null) {
      greeting = trace.greeting().map(String::strip).orElse(null);
      extensions = trace.ehloExtensions();
      tls = trace.tlsSession().map(TlsDetails::of).orElse(null);
    }
    return new ValidationResult(settings, failure, phases, total, greeting, extensions, tls, sent);
  }
}
