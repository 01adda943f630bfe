package dev.smarthost.core.send;

import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostDisabledException;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.internal.DaemonPools;
import dev.smarthost.core.internal.FailureClassifier;
import dev.smarthost.core.internal.FailureContext;
import dev.smarthost.core.outbox.OutboxEntry;
import dev.smarthost.core.outbox.OutboxFailures;
import dev.smarthost.core.outbox.OutboxStore;
import dev.smarthost.core.send.SendResult.RejectedRecipient;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers an {@link OutboxStore} in the background through the mailer's connections: oldest due
 * entry first, at most one per connection at a time; temporary failures back off exponentially with
 * jitter up to a maximum age, permanent ones (and the permanently refused part of a partial
 * delivery) are buried with their reason.
 */
final class OutboxDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(SmarthostMailer.class);

  private final OutboxStore outbox;
  private final AttemptLoop attempts;
  private final ThreadPoolExecutor workers;
  private final int parallel;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxAge;
  private final MailerListener listener; // never throws: the mailer hands it MailerListeners
  private final AtomicInteger inFlight = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong looks =
      new java.util.concurrent.atomic.AtomicLong();
  private final Object wake = new Object();
  private static final int FRESH_MAX = 1_000;
  private static final long FRESH_NANOS = 60_000_000_000L;
  private final Map<String, Fresh> fresh = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean stopped;
  private volatile boolean signalled;

  OutboxDispatcher(
      OutboxStore outbox,
      AttemptLoop attempts,
      int parallel,
      Duration initialBackoff,
      Duration maxBackoff,
      Duration maxAge,
      MailerListener listener) {
    this.outbox = outbox;
    this.attempts = attempts;
    this.workers = DaemonPools.bounded("smarthost-outbox", parallel);
    this.parallel = parallel;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxAge = maxAge;
    this.listener = listener;
    this.thread = DaemonPools.daemon(this::loop, "smarthost-outbox");
    thread.start();
  }

  /**
   * A just-enqueued entry's bytes, kept in memory for its first attempt so that it is not read back
   * from the outbox (at most {@link #FRESH_MAX} of them; past that, or once older than a minute —
   * an entry another node delivered — they are simply read back).
   */
  void fresh(String id, byte[] message) {
    long now = System.nanoTime();
    if (fresh.size() >= FRESH_MAX) {
      fresh.values().removeIf(f -> now - f.at > FRESH_NANOS);
      if (fresh.size() >= FRESH_MAX) {
        return;
      }
    }
    fresh.put(id, new Fresh(message, now));
  }

  /** A message just enqueued, kept in memory to spare reading it back (compared by identity). */
  private static final class Fresh {
    final byte[] message;
    final long at;

    Fresh(byte[] message, long at) {
      this.message = message;
      this.at = at;
    }
  }

  /** Something changed (a new entry): look again now. */
  void signal() {
    if (signalled) {
      return; // a look is due already, and it will see this entry too: no lock, no wake-up
    }
    synchronized (wake) {
      signalled = true;
      wake.notifyAll();
    }
  }

  /** Stops claiming; deliveries under way finish (or are aborted by the mailer's close). */
  void stop() {
    stopped = true;
    fresh.clear();
    signal();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdown();
  }

  /**
   * Waits for the deliveries under way after {@link #stop}; past {@code wait} they are interrupted
   * (their entries stay pending: delivered after the next start).
   *
   * @return false if some had to be interrupted
   */
  boolean awaitStopped(Duration wait) throws InterruptedException {
    if (workers.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    workers.shutdownNow();
    return false;
  }

  /** Waits a little for the interrupted deliveries to end. */
  void awaitInterrupted() throws InterruptedException {
    workers.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Interrupts every delivery under way at once. */
  void stopNow() {
    workers.shutdownNow();
  }

  private void loop() {
    while (!stopped) {
      try {
        int free = parallel - inFlight.get();
        if (free > 0) {
          for (OutboxEntry e : outbox.claimDue(Instant.now(), free)) {
            inFlight.incrementAndGet();
            try {
              workers.execute(() -> deliverWhileDue(e));
            } catch (RuntimeException rejected) {
              inFlight.decrementAndGet();
              outbox.release(e.id());
            }
          }
        }
        looks.incrementAndGet();
        long waitMs =
            outbox
                .nextDue()
                .map(t -> Math.max(1, t.toEpochMilli() - System.currentTimeMillis()))
                .orElse(1_000L);
        synchronized (wake) {
          if (!signalled && !stopped) {
            wake.wait(Math.min(waitMs, 1_000));
          }
          signalled = false;
        }
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // the dispatcher never dies: an unreadable directory is tried again in a second
        LOG.warn("smarthost outbox: {}", e.toString());
        sleep();
      }
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Delivers {@code first}, then keeps taking the next due entry on this thread (no hand-over to
   * the dispatcher between messages), until none is due or the mailer stops.
   */
  private void deliverWhileDue(OutboxEntry first) {
    try {
      OutboxEntry e = first;
      while (e != null) {
        deliver(e);
        List<OutboxEntry> next = stopped ? List.of() : outbox.claimDue(Instant.now(), 1);
        e = next.isEmpty() ? null : next.get(0);
      }
    } finally {
      inFlight.decrementAndGet();
      signal();
    }
  }

  private void deliver(OutboxEntry e) {
    try {
      if (stopped) {
        outbox.release(e.id());
        return;
      }
      MimeMessage message;
      Address[] to;
      try {
        Fresh kept = fresh.remove(e.id());
        byte[] bytes = kept != null ? kept.message : outbox.content(e.id());
        message = new MimeMessage(null, new ByteArrayInputStream(bytes));
        to = addresses(e.recipients());
      } catch (MessagingException | SmarthostOutboxException ex) {
        bury(e, e.recipients(), OutboxFailures.unreadable(ex.toString()));
        return;
      }
      SendResult result;
      try {
        result = attempts.deliver(message, to);
      } catch (SmarthostSendException ex) {
        failed(e, e.recipients(), ex.failure());
        return;
      } catch (SmarthostDisabledException ex) {
        failed(e, e.recipients(), notYet(ex));
        return;
      } catch (SmarthostBusyException ex) {
        failed(e, e.recipients(), notYet(ex));
        return;
      } catch (IllegalStateException ex) {
        outbox.release(e.id()); // the mailer is closing
        return;
      } catch (RuntimeException ex) {
        failed(e, e.recipients(), notYet(ex));
        return;
      }
      List<String> later = new ArrayList<>();
      List<String> never = new ArrayList<>();
      SmtpFailure laterWhy = null;
      SmtpFailure neverWhy = null;
      for (RejectedRecipient r : result.rejectedRecipients()) {
        if (!permanent(r.failure())) {
          later.add(r.address());
          laterWhy = r.failure();
        } else {
          never.add(r.address());
          neverWhy = r.failure();
        }
      }
      if (neverWhy != null) {
        bury(e, never, neverWhy);
      }
      if (laterWhy == null) {
        outbox.delivered(e.id());
      } else {
        failed(e, later, laterWhy);
      }
    } catch (RuntimeException ex) {
      LOG.warn("smarthost outbox: delivering {} failed: {}", e.id(), ex.toString());
      outbox.release(e.id());
    }
  }

  /** A failure for these recipients: retry later, or bury if permanent or too old. */
  private void failed(OutboxEntry e, List<String> recipients, SmtpFailure failure) {
    Instant now = Instant.now();
    if (permanent(failure)) {
      bury(e, recipients, failure);
    } else if (Duration.between(e.enqueuedAt(), now).compareTo(maxAge) >= 0) {
      bury(e, recipients, FailureClassifier.gaveUp(failure, maxAge));
    } else {
      outbox.reschedule(e.id(), recipients, now.plus(backoff(e.attempts() + 1)), failure);
    }
  }

  /**
   * Gives up on these recipients; the listener hears "dead-lettered" only once the dead entry is
   * written. If it cannot be (a full disk, Redis away), the entry stays pending and is tried again
   * after a backoff, and the listener hears that instead.
   */
  private void bury(OutboxEntry e, List<String> recipients, SmtpFailure reason) {
    try {
      outbox.bury(e.id(), recipients, reason);
    } catch (SmarthostOutboxException ex) {
      LOG.warn("smarthost outbox: {}", ex.getMessage());
      outbox.reschedule(
          e.id(), e.recipients(), Instant.now().plus(backoff(e.attempts() + 1)), reason);
      listener.deadLetterFailed(e.id(), recipients, reason, ex);
      return;
    }
    listener.deadLettered(e.id(), recipients, reason);
  }

  /**
   * Only a 5xx refusal of this message (its sender, recipients or content), or a message that can
   * never go as it is (larger than the server's limit, a non-ASCII address for a server without
   * SMTPUTF8), is final. Everything else — the smarthost unreachable, a certificate or login
   * problem the administrator can fix, e-mail switched off — is retried up to the maximum age, as
   * Postfix defers on a SASL failure ({@code smtp_sasl_auth_soft_bounce}).
   */
  static boolean permanent(SmtpFailure f) {
    int code = f.replyCode().orElse(0);
    return switch (f.kind()) {
      case MESSAGE_TOO_LARGE, SMTPUTF8_NOT_OFFERED -> true; // the message as it is can never go
      case SENDER_REJECTED, RECIPIENT_REJECTED, MESSAGE_REJECTED -> code >= 500 || code == 0;
      default -> false;
    };
  }

  /** Exponential from the initial backoff, capped, with jitter: half fixed, half random. */
  Duration backoff(int attempt) {
    long base = initialBackoff.toMillis();
    long cap = maxBackoff.toMillis();
    long delay = base;
    for (int i = 1; i < attempt && delay < cap; i++) {
      delay = Math.min(cap, delay * 2);
    }
    long half = Math.max(1, delay / 2);
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
  }

  private static Address[] addresses(List<String> recipients) throws AddressException {
    Address[] a = new Address[recipients.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = new InternetAddress(recipients.get(i), false);
    }
    return a;
  }

  /** The mailer could not take the message now (switched off, busy, a bug): try again later. */
  private static SmtpFailure notYet(RuntimeException e) {
    return FailureClassifier.classify(e, FailureContext.dispatching());
  }

  /**
   * For the mailer's close: waits until no entry is due and none is being delivered, up to {@code
   * wait}. Entries waiting for a later retry stay pending (they are durable).
   */
  void drain(Duration wait) throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    // the dispatcher must look at least once after this began: a shared outbox (Redis) knows what
    // is due only after it has read it
    long looked = looks.get() + 1;
    while (System.nanoTime() < end) {
      boolean due = outbox.nextDue().map(t -> !t.isAfter(Instant.now())).orElse(false);
      if (!due && inFlight.get() == 0 && looks.get() > looked) {
        return;
      }
      signal();
      synchronized (wake) {
        wake.wait(20);
      }
    }
  }
}
