package dev.smarthost.core.send;

import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostDisabledException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.core.internal.Checks;
import dev.smarthost.core.internal.WriteTimeouts;
import dev.smarthost.core.outbox.FileOutbox;
import dev.smarthost.core.outbox.Outbox;
import dev.smarthost.core.outbox.OutboxStore;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Sends through reused, bounded connections that follow the resolver, and never drops a message
 * silently: every message is accepted, or its sender gets an exception that says why.
 *
 * <pre>{@code
 * try (SmarthostMailer mailer = SmarthostMailer.builder(resolver).maxConnections(4).build()) {
 *   SendResult r = mailer.send(mimeMessage);                 // blocking
 *   CompletableFuture<SendResult> f = mailer.sendAsync(msg); // bounded queue
 * }
 * }</pre>
 *
 * <ul>
 *   <li>At most {@code maxConnections} connections; an idle one is reused while it has the current
 *       settings, is younger than {@code maxConnectionAge}, has sent fewer than {@code
 *       maxMessagesPerConnection} and, after a pause, still answers NOOP. Idle connections close
 *       after {@code idleTimeout}.
 *   <li>Every attempt resolves the settings: after a change new sends use the new settings and
 *       connections on the old ones are closed when they come back. Settings switched off: {@link
 *       SmarthostDisabledException}, nothing queued.
 *   <li>A temporary failure (4xx, a dropped or silent connection) is retried on another connection
 *       up to {@code maxAttempts}; a permanent one throws {@link SmarthostSendException} with the
 *       validator's {@link dev.smarthost.FailureKind}. Refused recipients of an otherwise accepted
 *       message are listed in {@link SendResult#rejectedRecipients()}.
 *   <li>{@link #close()} waits for queued and running sends up to {@code closeTimeout}, then fails
 *       the rest explicitly and stops every thread.
 * </ul>
 *
 * <p>A connection lost after the message data but before the server's reply is retried; the server
 * may then have the message twice. SMTP cannot tell these cases apart.
 */
public final class SmarthostMailer implements AutoCloseable {
  /** Default maximum of simultaneous connections. */
  public static final int DEFAULT_MAX_CONNECTIONS = 2;

  /** Default total time one {@link #send} (or one queued message, once it runs) may take. */
  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(60);

  /** Default delay before an outbox entry's second attempt: 30 s (then doubling). */
  public static final Duration DEFAULT_OUTBOX_INITIAL_BACKOFF = Duration.ofSeconds(30);

  /** Default longest delay between an outbox entry's attempts: 30 min. */
  public static final Duration DEFAULT_OUTBOX_MAX_BACKOFF = Duration.ofMinutes(30);

  /** Default time an outbox entry is retried before it is given up: 5 days. */
  public static final Duration DEFAULT_OUTBOX_MAX_AGE = Duration.ofDays(5);

  private final ConnectionPool pool;
  private final AttemptLoop attemptLoop;
  private final SendQueue async;
  private final Duration closeTimeout;
  private final @Nullable OutboxStore outbox;
  private final @Nullable OutboxDispatcher dispatcher;
  private volatile boolean closed;

  private SmarthostMailer(Builder b) {
    // a listener never breaks sending: what it throws is logged and ignored
    MailerListener listener = new MailerListeners(List.of(b.listener));
    this.pool =
        new ConnectionPool(
            b.maxConnections,
            b.maxConnectionAge,
            b.maxMessagesPerConnection,
            b.idleTimeout,
            Duration.ofSeconds(1),
            listener::connectionOpened);
    this.attemptLoop =
        new AttemptLoop(
            b.resolver,
            new SmarthostSessionFactory(b.options),
            pool,
            listener,
            b.maxAttempts,
            b.retryBackoff,
            b.acquireTimeout,
            b.sendTimeout,
            WriteTimeouts.executor(),
            () -> closed);
    this.closeTimeout = b.closeTimeout;
    this.async =
        new SendQueue(
            b.maxConnections,
            b.queueCapacity,
            message -> {
              keepTextWhole(message);
              return attemptLoop.deliver(message);
            });
    this.outbox = b.outbox;
    this.dispatcher =
        outbox == null
            ? null
            : new OutboxDispatcher(
                outbox,
                attemptLoop,
                b.maxConnections,
                b.outboxInitialBackoff,
                b.outboxMaxBackoff,
                b.outboxMaxAge,
                listener);
    pool.startEvicting();
  }

  /**
   * Starts configuring a mailer.
   *
   * @param resolver where the settings come from; asked on every attempt
   * @return a new builder
   */
  public static Builder builder(SmarthostResolver resolver) {
    return new Builder(resolver);
  }

  /**
   * Sends a message and waits for the smarthost's answer.
   *
   * @param message a message with recipients; its headers are completed ({@code saveChanges})
   * @return what the smarthost accepted
   * @throws SmarthostSendException if the message could not be delivered (classified)
   * @throws SmarthostDisabledException if e-mail is switched off
   * @throws SmarthostBusyException if no connection became free within the acquire timeout
   * @throws IllegalArgumentException if the message has no recipients or cannot be written
   * @throws IllegalStateException if the mailer is closed
   */
  public SendResult send(MimeMessage message) {
    checkOpen();
    keepTextWhole(message);
    return attemptLoop.deliver(message);
  }

  /** See {@link TextCharsets}: text survives a POSIX locale, or the message is refused. */
  private static void keepTextWhole(MimeMessage message) {
    try {
      TextCharsets.keepWhole(message);
    } catch (MessagingException | IOException e) {
      throw new IllegalArgumentException("message: cannot be read: " + e.getMessage(), e);
    }
  }

  /**
   * Queues a message and returns at once. The future fails with the exceptions {@link
   * #send(MimeMessage)} throws; with {@link SmarthostBusyException} at once when the queue is full.
   *
   * @param message a message with recipients
   * @return the outcome
   * @throws IllegalStateException if the mailer is closed
   */
  public CompletableFuture<SendResult> sendAsync(MimeMessage message) {
    checkOpen();
    Objects.requireNonNull(message, "message");
    return async.submit(message);
  }

  /**
   * Stores a message durably in the {@linkplain Builder#outbox(OutboxStore) outbox} and returns;
   * the mailer delivers it in the background, retrying temporary failures with backoff up to the
   * maximum age, across restarts (at least once). Permanent failures end in {@link Outbox#dead()}
   * with their reason and are reported to {@link MailerListener#deadLettered}.
   *
   * @param message a message with recipients; its headers are completed ({@code Message-ID} too)
   * @return the outbox entry's id
   * @throws IllegalStateException if the mailer has no outbox or is closed
   * @throws IllegalArgumentException if the message has no recipients or cannot be written
   * @throws SmarthostBusyException if the outbox is full
   * @throws dev.smarthost.SmarthostOutboxException if the outbox cannot store it; nothing was kept
   */
  public String enqueue(MimeMessage message) {
    checkOpen();
    OutboxStore o = outbox;
    if (o == null || dispatcher == null) {
      throw new IllegalStateException(
          "no outbox: configure one with SmarthostMailer.builder(resolver).outbox(FileOutbox.open(dir))");
    }
    Objects.requireNonNull(message, "message");
    keepTextWhole(message);
    StoredMessage stored = StoredMessage.of(message);
    String id = o.add(stored.bytes(), stored.recipients());
    dispatcher.fresh(id, stored.bytes()); // the first attempt need not read it back
    dispatcher.signal();
    return id;
  }

  /**
   * Returns the outbox this mailer delivers, if it has one.
   *
   * @return the outbox
   */
  public Optional<Outbox> outbox() {
    return Optional.ofNullable(outbox);
  }

  /**
   * Returns how many connections are open now.
   *
   * @return idle and busy connections
   */
  public int openConnections() {
    return pool.open();
  }

  /**
   * Delivers the outbox entries that are due now (up to the close timeout; later retries and the
   * rest stay pending in the outbox for the next start), stops taking messages, waits up to the
   * close timeout for queued and running sends, then fails the rest with {@link
   * SmarthostBusyException} (queued) or {@link SmarthostSendException} (running: their connections
   * are aborted), closes every connection and stops every thread.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (dispatcher != null) {
      // deliver what is due now while the mailer still takes no new work from elsewhere
      try {
        dispatcher.drain(closeTimeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closed = true;
    if (dispatcher != null) {
      dispatcher.stop();
    }
    async.shutdown();
    try {
      if (!async.awaitStopped(closeTimeout)) {
        pool.abortBusy();
        async.awaitInterrupted();
      }
      if (dispatcher != null && !dispatcher.awaitStopped(closeTimeout)) {
        // entries being delivered stay pending in the outbox: delivered after the next start
        pool.abortBusy();
        dispatcher.awaitInterrupted();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      async.stopNow();
      if (dispatcher != null) {
        dispatcher.stopNow();
      }
      pool.abortBusy();
    } finally {
      pool.close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the mailer is closed");
    }
  }

  /** Configures a {@link SmarthostMailer}. */
  public static final class Builder {
    private final SmarthostResolver resolver;
    private SmtpOptions options = SmtpOptions.defaults();
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxMessagesPerConnection = 100;
    private Duration maxConnectionAge = Duration.ofMinutes(5);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int maxAttempts = 3;
    private Duration retryBackoff = Duration.ofMillis(200);
    private int queueCapacity = 1000;
    private Duration acquireTimeout = Duration.ofSeconds(60);
    private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
    private Duration closeTimeout = Duration.ofSeconds(30);
    private @Nullable OutboxStore outbox;
    private Duration outboxInitialBackoff = DEFAULT_OUTBOX_INITIAL_BACKOFF;
    private Duration outboxMaxBackoff = DEFAULT_OUTBOX_MAX_BACKOFF;
    private Duration outboxMaxAge = DEFAULT_OUTBOX_MAX_AGE;
    private MailerListener listener = MailerListener.NONE;

    private Builder(SmarthostResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * Sets timeouts, trust and EHLO name (default {@link SmtpOptions#defaults()}).
     *
     * @param options the options
     * @return this builder (for chaining)
     */
    public Builder options(SmtpOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Sets the most connections open at once, and the number of sending threads for {@link
     * #sendAsync} (default 2).
     *
     * @param max at least 1
     * @return this builder (for chaining)
     */
    public Builder maxConnections(int max) {
      this.maxConnections = Checks.atLeast("maxConnections", max, 1);
      return this;
    }

    /**
     * Sets how many messages one connection sends before it is replaced (default 100).
     *
     * @param max at least 1
     * @return this builder (for chaining)
     */
    public Builder maxMessagesPerConnection(int max) {
      this.maxMessagesPerConnection = Checks.atLeast("maxMessagesPerConnection", max, 1);
      return this;
    }

    /**
     * Sets how long a connection is used before it is replaced (default 5 min).
     *
     * @param age at least 1 ms
     * @return this builder (for chaining)
     */
    public Builder maxConnectionAge(Duration age) {
      this.maxConnectionAge = Checks.positive("maxConnectionAge", age);
      return this;
    }

    /**
     * Sets how long an unused connection stays open (default 30 s).
     *
     * @param idle at least 1 ms
     * @return this builder (for chaining)
     */
    public Builder idleTimeout(Duration idle) {
      this.idleTimeout = Checks.positive("idleTimeout", idle);
      return this;
    }

    /**
     * Sets how often a message is tried in all when failures are temporary (default 3).
     *
     * @param attempts at least 1
     * @return this builder (for chaining)
     */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = Checks.atLeast("maxAttempts", attempts, 1);
      return this;
    }

    /**
     * Sets the pause before a retry, multiplied by the attempt number (default 200 ms).
     *
     * @param backoff zero or more
     * @return this builder (for chaining)
     */
    public Builder retryBackoff(Duration backoff) {
      if (backoff.isNegative()) {
        throw new IllegalArgumentException(
            "retryBackoff: must not be negative, but was " + backoff);
      }
      this.retryBackoff = backoff;
      return this;
    }

    /**
     * Sets how many messages {@link #sendAsync} may queue (default 1000).
     *
     * @param capacity at least 1
     * @return this builder (for chaining)
     */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = Checks.atLeast("queueCapacity", capacity, 1);
      return this;
    }

    /**
     * Sets how long {@link #send} waits for a free connection (default 60 s).
     *
     * @param wait at least 1 ms
     * @return this builder (for chaining)
     */
    public Builder acquireTimeout(Duration wait) {
      this.acquireTimeout = Checks.positive("acquireTimeout", wait);
      return this;
    }

    /**
     * Sets the total time one send may take, all attempts included (default 60 s): connect, TLS,
     * AUTH and the whole transaction. Per-read timeouts alone do not bound a send, because a server
     * that trickles its replies a byte at a time never lets one expire. Past this time the
     * connection is aborted and the send fails with {@link SmarthostSendException} of kind {@link
     * dev.smarthost.FailureKind#READ_TIMEOUT}; for {@link #sendAsync} the clock starts when the
     * message leaves the queue.
     *
     * @param timeout at least 1 ms
     * @return this builder (for chaining)
     */
    public Builder sendTimeout(Duration timeout) {
      this.sendTimeout = Checks.positive("sendTimeout", timeout);
      return this;
    }

    /**
     * Sets how long {@link #close()} waits for queued and running sends (default 30 s).
     *
     * @param wait at least 1 ms
     * @return this builder (for chaining)
     */
    public Builder closeTimeout(Duration wait) {
      this.closeTimeout = Checks.positive("closeTimeout", wait);
      return this;
    }

    /**
     * Delivers this outbox in the background and enables {@link SmarthostMailer#enqueue}. The
     * application owns the outbox: close it after the mailer.
     *
     * @param outbox for example {@link FileOutbox#open(java.nio.file.Path)}
     * @return this builder (for chaining)
     */
    public Builder outbox(OutboxStore outbox) {
      this.outbox = Objects.requireNonNull(outbox, "outbox");
      return this;
    }

    /**
     * Sets the outbox's retry delays: the first, doubling up to the maximum (each with jitter:
     * between half and all of it).
     *
     * @param initial the delay after the first failure; default 30 s
     * @param max the longest delay; default 30 min; at least {@code initial}
     * @return this builder (for chaining)
     */
    public Builder outboxBackoff(Duration initial, Duration max) {
      Checks.positive("initial", initial);
      Checks.atLeast("max", max, initial);
      this.outboxInitialBackoff = initial;
      this.outboxMaxBackoff = max;
      return this;
    }

    /**
     * Sets how long the outbox retries temporary failures before it gives up on an entry (Postfix'
     * {@code maximal_queue_lifetime}).
     *
     * @param age default 5 days; at least 1 ms
     * @return this builder (for chaining)
     */
    public Builder outboxMaxAge(Duration age) {
      this.outboxMaxAge = Checks.positive("age", age);
      return this;
    }

    /**
     * Sets the metrics hooks (default none).
     *
     * @param listener the listener
     * @return this builder (for chaining)
     */
    public Builder listener(MailerListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Builds the mailer; it connects on the first send.
     *
     * @return the mailer; close it when done
     */
    public SmarthostMailer build() {
      return new SmarthostMailer(this);
    }
  }
}
