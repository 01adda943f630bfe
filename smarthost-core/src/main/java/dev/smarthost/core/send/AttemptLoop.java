package dev.smarthost.core.send;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostDisabledException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.internal.ConnectFailedException;
import dev.smarthost.core.internal.DeadlineExceededException;
import dev.smarthost.core.internal.FailureClassifier;
import dev.smarthost.core.internal.FailureContext;
import dev.smarthost.core.internal.TlsProbe;
import dev.smarthost.core.send.SendResult.RejectedRecipient;
import dev.smarthost.core.session.SmarthostSessionFactory;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempt loop of {@link SmarthostMailer}: resolve the settings, take a pooled connection,
 * send, classify a failure with the validator's classifier, retry temporary ones on another
 * connection, report the rest.
 */
final class AttemptLoop {
  private static final Logger LOG = LoggerFactory.getLogger(SmarthostMailer.class);
  private static final int OK = 250;
  private static final int MAX_FREE = 8;
  private static final Duration COOLDOWN = Duration.ofSeconds(60);
  private static final Duration REFUSAL_PAUSE = Duration.ofMillis(100);
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final SmarthostResolver resolver;
  private final SmarthostSessionFactory sessions;
  private final ConnectionPool pool;
  private final MailerListener listener; // never throws: the mailer hands it MailerListeners
  private final int maxAttempts;
  private final Duration retryBackoff;
  private final Duration acquireTimeout;
  private final Duration sendTimeout;
  private final ScheduledExecutorService watchdog;
  private final BooleanSupplier closed;
  private final AtomicReference<@Nullable SessionFor> session = new AtomicReference<>();

  private static final class SessionFor {
    final SmarthostSettings settings;
    final Session session;

    SessionFor(SmarthostSettings settings, Session session) {
      this.settings = settings;
      this.session = session;
    }
  }

  AttemptLoop(
      SmarthostResolver resolver,
      SmarthostSessionFactory sessions,
      ConnectionPool pool,
      MailerListener listener,
      int maxAttempts,
      Duration retryBackoff,
      Duration acquireTimeout,
      Duration sendTimeout,
      ScheduledExecutorService watchdog,
      BooleanSupplier closed) {
    this.resolver = resolver;
    this.sessions = sessions;
    this.pool = pool;
    this.listener = listener;
    this.maxAttempts = maxAttempts;
    this.retryBackoff = retryBackoff;
    this.acquireTimeout = acquireTimeout;
    this.sendTimeout = sendTimeout;
    this.watchdog = watchdog;
    this.closed = closed;
  }

  SendResult deliver(MimeMessage message) {
    return deliver(message, prepare(message));
  }

  /** Sends to these envelope recipients (an outbox entry's), not the message's headers. */
  SendResult deliver(MimeMessage message, Address[] recipients) {
    long start = System.nanoTime();
    try (SendDeadline deadline = SendDeadline.start(watchdog, sendTimeout)) {
      return deliver(message, recipients, deadline, start);
    }
  }

  private SendResult deliver(
      MimeMessage message, Address[] recipients, SendDeadline deadline, long start) {
    SmtpFailure last = null; // the last attempt's failure, for a deadline that ends the retries
    int free = 0; // reconnects that are no failed attempt: a connection limit, a 421 on reuse
    boolean probed = false;
    for (int attempt = 1; ; attempt++) {
      SmarthostSettings settings =
          resolver.resolve().orElseThrow(() -> new SmarthostDisabledException(resolver.toString()));
      if (deadline.expired()) {
        throw timedOut(settings, attempt - 1, deadline, null, last, start);
      }
      ConnectionPool.Connection c;
      try {
        Duration wait =
            acquireTimeout.compareTo(deadline.remaining()) < 0
                ? acquireTimeout
                : deadline.remaining();
        c = pool.acquire(session(settings), settings, wait, deadline::watch);
      } catch (MessagingException e) {
        if (deadline.expired()) {
          throw timedOut(settings, attempt, deadline, e, last, start);
        }
        SmtpFailure k = FailureClassifier.classify(e, context(settings));
        if (refusedAtGreeting(e, k) && free < MAX_FREE && pool.shrinkAfterRefusal(COOLDOWN)) {
          // a connection limit: wait for one of the open connections instead of failing
          LOG.info(
              "{} refused one more connection ({}); using at most {} for {}",
              settings.authority(),
              k.reply().orElse(""),
              pool.limit(),
              COOLDOWN);
          free++;
          attempt--;
          continue;
        }
        if (refusedAtGreeting(e, k)
            && free < MAX_FREE
            && pool.open() == 0
            && pause(REFUSAL_PAUSE, deadline)) {
          // None of ours is open, yet the server counts its limit full: it still counts the
          // connections we just closed (Postfix' anvil does too). Try again shortly, for free.
          LOG.info(
              "{} refused a connection while none of ours was open ({}); trying again in {}",
              settings.authority(),
              k.reply().orElse(""),
              REFUSAL_PAUSE);
          free++;
          attempt--;
          continue;
        }
        if (!probed && k.kind() == FailureKind.NO_GREETING) {
          probed = true; // once a send: a tarpit answers no handshake either, and costs a timeout
          if (answersTls(settings, deadline, sessions.options().readTimeout())) {
            k = FailureClassifier.classify(e, context(settings).answeringTls());
          }
        }
        last = k;
        if (retry(k, attempt)) {
          continue;
        }
        throw fail(k, settings, attempt, e, List.of(), start);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SmarthostBusyException(
            "interrupted while waiting for a connection; nothing was sent");
      }
      deadline.watch(c.transport);
      try {
        c.transport.sendMessage(message, recipients);
        pool.release(c, true);
        return sent(message, settings, addresses(recipients), List.of(), attempt, start);
      } catch (MessagingException e) {
        if (deadline.expired()) {
          pool.release(c, false);
          throw timedOut(settings, attempt, deadline, e, last, start);
        }
        if (isPartial(e) && e instanceof SendFailedException s) {
          pool.release(c, true);
          return sent(
              message,
              settings,
              addresses(s.getValidSentAddresses()),
              rejected(e, settings),
              attempt,
              start);
        }
        SmtpFailure k =
            FailureClassifier.classify(e, context(settings).withTrace(c.transport.trace()));
        boolean reused = c.messages() > 0;
        pool.release(c, reusable(c, k));
        if (reused && k.replyCode().orElse(0) == 421 && free < MAX_FREE) {
          // a server that ends a connection after so many messages: a new one, no failed attempt
          free++;
          attempt--;
          continue;
        }
        last = k;
        if (retry(k, attempt)) {
          continue;
        }
        List<String> refused = new ArrayList<>();
        rejected(e, settings).forEach(r -> refused.add(r.address()));
        throw fail(k, settings, attempt, e, refused, start);
      }
    }
  }

  /**
   * The send took longer than the send timeout: the connection was aborted, nothing retried. If an
   * earlier attempt failed for a reason of its own (no greeting, the server busy), that is what is
   * reported: the deadline only ended the retries.
   */
  private SmarthostSendException timedOut(
      SmarthostSettings settings,
      int attempts,
      SendDeadline deadline,
      @Nullable Exception cause,
      @Nullable SmtpFailure last,
      long start) {
    SmtpFailure k =
        last != null && last.kind() != FailureKind.READ_TIMEOUT
            ? FailureClassifier.endedBySendTimeout(last, deadline.timeout())
            : FailureClassifier.classify(
                new DeadlineExceededException("the send", deadline.timeout()), context(settings));
    SmarthostSendException e =
        SmarthostSendException.builder(k, settings.authority())
            .attempts(Math.max(1, attempts))
            .build(cause == null ? new java.util.concurrent.TimeoutException(k.detail()) : cause);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    listener.failed(e, took);
    return e;
  }

  /** Sleeps {@code pause} within the deadline; false if interrupted or the deadline is too near. */
  private static boolean pause(Duration pause, SendDeadline deadline) {
    if (deadline.remaining().compareTo(pause) <= 0) {
      return false;
    }
    try {
      Thread.sleep(pause.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A 421 (or other 4xx) instead of the greeting: a connection limit, or a busy server. */
  private static boolean refusedAtGreeting(MessagingException e, SmtpFailure k) {
    return e instanceof ConnectFailedException
        && k.kind() == FailureKind.SERVER_UNAVAILABLE
        && String.valueOf(e.getMessage()).contains("bad greeting");
  }

  /**
   * No greeting on a port other than 25 in clear text or STARTTLS: the validator's question, asked
   * the same way — does the port answer a TLS handshake (an implicit-TLS port never greets a
   * clear-text client)?
   */
  private static boolean answersTls(
      SmarthostSettings settings, SendDeadline deadline, Duration readTimeout) {
    if (settings.encryption() == Encryption.TLS || settings.port() == 25) {
      return false;
    }
    Duration probe = PROBE_TIMEOUT;
    for (Duration d : List.of(deadline.remaining(), readTimeout)) {
      probe = d.compareTo(probe) < 0 ? d : probe;
    }
    return !probe.isZero() && TlsProbe.speaksTls(settings.host(), settings.port(), probe);
  }

  private FailureContext context(SmarthostSettings settings) {
    return FailureContext.sending(settings, sessions.options().connectTimeout());
  }

  private static Address[] prepare(MimeMessage message) {
    Objects.requireNonNull(message, "message");
    try {
      Address[] recipients = message.getAllRecipients();
      if (recipients == null || recipients.length == 0) {
        throw new IllegalArgumentException("message: has no recipients");
      }
      // No saveChanges() here: MimeMessage.writeTo() saves an unsaved message itself, and saving a
      // saved one again re-encodes it for nothing.
      return recipients;
    } catch (MessagingException e) {
      throw new IllegalArgumentException(
          "message: cannot be prepared for sending: " + e.getMessage(), e);
    }
  }

  private Session session(SmarthostSettings settings) {
    SessionFor current = session.get();
    if (current != null && current.settings.equals(settings)) {
      return current.session;
    }
    Session s = sessions.session(settings);
    // Report refused recipients one by one and deliver to the others, instead of failing the lot.
    s.getProperties().setProperty("mail.smtp.sendpartial", "true");
    session.set(new SessionFor(settings, s));
    return s;
  }

  private boolean retry(SmtpFailure k, int attempt) {
    if (!k.kind().isTemporary() || attempt >= maxAttempts || closed.getAsBoolean()) {
      return false;
    }
    listener.retried(k.kind(), attempt);
    try {
      Thread.sleep(retryBackoff.toMillis() * attempt);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** After a failed transaction: keep the connection only if it still answers RSET. */
  private static boolean reusable(ConnectionPool.Connection c, SmtpFailure k) {
    if (k.kind() == FailureKind.PROTOCOL_ERROR
        || k.kind() == FailureKind.READ_TIMEOUT
        || k.replyCode().orElse(0) == 421
        || !c.transport.isConnectedWithoutNoop()) {
      return false;
    }
    try {
      return c.transport.simpleCommand("RSET") == OK;
    } catch (MessagingException | RuntimeException e) {
      return false;
    }
  }

  /** Angus with sendpartial: the message went to the valid recipients, the rest were refused. */
  private static boolean isPartial(MessagingException e) {
    if (!(e instanceof SMTPSendFailedException s)) {
      return false;
    }
    Address[] sent = s.getValidSentAddresses();
    return ".".equals(s.getCommand())
        && s.getReturnCode() / 100 == 2
        && sent != null
        && sent.length > 0;
  }

  private List<RejectedRecipient> rejected(MessagingException e, SmarthostSettings settings) {
    List<RejectedRecipient> result = new ArrayList<>();
    for (Exception next = e; next != null; ) {
      if (next instanceof SMTPAddressFailedException a) {
        // this recipient's refusal alone, without the chain of the others
        SMTPAddressFailedException one =
            new SMTPAddressFailedException(
                a.getAddress(), a.getCommand(), a.getReturnCode(), a.getMessage());
        result.add(
            new RejectedRecipient(
                a.getAddress().getAddress(), FailureClassifier.classify(one, context(settings))));
      }
      next = next instanceof MessagingException m ? m.getNextException() : null;
    }
    return result;
  }

  private SendResult sent(
      MimeMessage message,
      SmarthostSettings settings,
      List<String> accepted,
      List<RejectedRecipient> rejected,
      int attempts,
      long start) {
    String id;
    try {
      id = message.getMessageID();
    } catch (MessagingException e) {
      id = null;
    }
    SendResult result =
        new SendResult(
            id,
            settings.authority(),
            accepted,
            rejected,
            attempts,
            Duration.ofNanos(System.nanoTime() - start));
    listener.sent(result);
    return result;
  }

  private SmarthostSendException fail(
      SmtpFailure k,
      SmarthostSettings settings,
      int attempts,
      Exception cause,
      List<String> rejected,
      long start) {
    SmarthostSendException e =
        SmarthostSendException.builder(k, settings.authority())
            .rejectedRecipients(rejected)
            .attempts(attempts)
            .build(cause);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    listener.failed(e, took);
    return e;
  }

  private static List<String> addresses(@Nullable Address[] addresses) {
    List<String> result = new ArrayList<>();
    if (addresses != null) {
      for (Address a : addresses) {
        result.add(a instanceof InternetAddress ia ? ia.getAddress() : a.toString());
      }
    }
    return result;
  }
}
