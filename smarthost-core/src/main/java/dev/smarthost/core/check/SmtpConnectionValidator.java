package dev.smarthost.core.check;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.internal.Checks;
import dev.smarthost.core.internal.DaemonPools;
import dev.smarthost.core.internal.DeadlineExceededException;
import dev.smarthost.core.session.PhaseTiming;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Checks settings the way the settings page does after saving: connect, greeting, TLS, EHLO, AUTH,
 * and optionally one real {@link TestMessage}, because connect and login can pass while relaying
 * fails. It uses the same transport as sending ({@link SmarthostSessionFactory}, Angus underneath)
 * and classifies what went wrong into one {@link dev.smarthost.SmtpFailure} with a hint.
 *
 * <p>Never throws for network or server problems, and returns within its {@linkplain #deadline()
 * deadline} (default 30 s) whatever the server does. Thread-safe.
 *
 * <pre>{@code
 * ValidationResult r = SmtpConnectionValidator.create(SmtpOptions.defaults()).validate(settings);
 * if (!r.ok()) System.out.println(r.failure().get().hint());
 * }</pre>
 */
public final class SmtpConnectionValidator {
  /** The default total time one check may take: 30 s. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

  /** The longest deadline a check may be given: 1 h. */
  public static final Duration MAX_DEADLINE = Duration.ofHours(1);

  private static final ExecutorService WORKERS = workers();

  /**
   * How long a client that speaks clear text first waits for a greeting before it tries a TLS
   * handshake on a second connection: an implicit-TLS port never greets a clear-text client.
   */
  static final Duration GREETING_PROBE_AFTER = Duration.ofMillis(2500);

  /** The longest the TLS handshake of that second connection may take. */
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

  private final SmtpOptions options;
  private final Duration deadline;
  private final HostLookups lookups;
  private final @Nullable PhaseListener progress;

  private SmtpConnectionValidator(
      SmtpOptions options,
      Duration deadline,
      HostLookups lookups,
      @Nullable PhaseListener progress) {
    this.options = Objects.requireNonNull(options, "options");
    this.deadline = deadline;
    this.lookups = lookups;
    this.progress = progress;
  }

  /**
   * Creates a validator with the default deadline.
   *
   * @param options timeouts, trust and EHLO name, as for sending
   * @return the validator
   */
  public static SmtpConnectionValidator create(SmtpOptions options) {
    return new SmtpConnectionValidator(options, DEFAULT_DEADLINE, HostLookups.SYSTEM, null);
  }

  /**
   * Returns a copy with another total deadline.
   *
   * @param deadline the longest a check may take; at least 1 ms, at most {@link #MAX_DEADLINE}
   * @return the new validator
   * @throws IllegalArgumentException if the deadline is shorter than 1 ms or longer than {@link
   *     #MAX_DEADLINE}
   */
  public SmtpConnectionValidator withDeadline(Duration deadline) {
    Checks.positive("deadline", deadline);
    if (deadline.compareTo(MAX_DEADLINE) > 0) {
      throw new IllegalArgumentException(
          "deadline: must be at most " + MAX_DEADLINE + ", but was " + deadline);
    }
    return new SmtpConnectionValidator(options, deadline, lookups, progress);
  }

  /**
   * Returns a copy that reports each step of a check to {@code listener} as soon as it completes
   * (progress on a slow server). The listener runs on the thread that called {@code validate}, in
   * the order of the conversation, and never after {@code validate} returned; what it hears is
   * exactly {@link ValidationResult#phases()}.
   *
   * @param listener called once per completed step
   * @return the new validator
   */
  public SmtpConnectionValidator withProgress(PhaseListener listener) {
    return new SmtpConnectionValidator(
        options, deadline, lookups, Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Returns the options this validator connects with.
   *
   * @return the options
   */
  public SmtpOptions options() {
    return options;
  }

  /**
   * The ports to {@linkplain #discover(String, List) discover} when the caller has none in mind:
   * submission (587), implicit TLS (465), relay (25) and the common alternative (2525).
   */
  public static final List<Integer> DISCOVERY_PORTS = List.of(587, 465, 25, 2525);

  /**
   * Finds working settings for a host: tries each port with the encryption it answers to (implicit
   * TLS, then STARTTLS, then clear text), all ports at once within this validator's one {@linkplain
   * #deadline() deadline}, and recommends the most secure that works. Certificates are always
   * verified; a clear-text candidate is checked without credentials.
   *
   * @param host the smarthost's host name or address
   * @param ports the ports to try, e.g. {@link #DISCOVERY_PORTS}; 1–16 of them
   * @return what each port answered and the recommendation
   * @throws IllegalArgumentException if the host or a port is invalid
   */
  public DiscoveryResult discover(String host, List<Integer> ports) {
    return new Discovery(this, SmarthostSettings.builder().host(host).build())
        .run(Discovery.checkPorts(ports));
  }

  /**
   * Like {@link #discover(String, List)}, and logs in with these credentials wherever the
   * connection is encrypted, so that the recommendation is one that authenticates.
   *
   * @param host the smarthost's host name or address
   * @param ports the ports to try; 1–16 of them
   * @param username the user name for AUTH
   * @param password the password; never sent in clear text
   * @return what each port answered and the recommendation
   * @throws IllegalArgumentException if the host, a port or the credentials are invalid
   */
  public DiscoveryResult discover(
      String host, List<Integer> ports, String username, String password) {
    return new Discovery(
            this, SmarthostSettings.builder().host(host).credentials(username, password).build())
        .run(Discovery.checkPorts(ports));
  }

  /** A copy that resolves host names with these lookups (tests: a resolver that hangs). */
  SmtpConnectionValidator withHostLookups(HostLookups lookups) {
    return new SmtpConnectionValidator(
        options, deadline, Objects.requireNonNull(lookups), progress);
  }

  /**
   * Returns the total time one check may take.
   *
   * @return the deadline
   */
  public Duration deadline() {
    return deadline;
  }

  /**
   * Connects, greets, starts TLS and authenticates as configured, then disconnects.
   *
   * @param settings what to check
   * @return the result; never null
   */
  public ValidationResult validate(SmarthostSettings settings) {
    return run(settings, null);
  }

  /**
   * Like {@link #validate(SmarthostSettings)}, then sends one real message.
   *
   * @param settings what to check
   * @param message sender and recipient of the test message
   * @return the result; never null
   */
  public ValidationResult validate(SmarthostSettings settings, TestMessage message) {
    return run(settings, Objects.requireNonNull(message, "message"));
  }

  private ValidationResult run(SmarthostSettings settings, @Nullable TestMessage message) {
    Objects.requireNonNull(settings, "settings");
    long start = System.nanoTime();
    long end = start + deadline.toNanos();
    ValidationAttempt attempt =
        new ValidationAttempt(settings, message, bounded(options), lookups, deadline);
    WORKERS.execute(attempt::runAndSignal);
    List<PhaseTiming> phases = new ArrayList<>();
    Throwable error = null;
    boolean answersTls = false;
    boolean done = false;
    boolean probed = false;
    try {
      while (!done && error == null) {
        long now = System.nanoTime();
        if (now - end >= 0) {
          break;
        }
        long wait = end - now;
        if (!probed && earlyProbe(settings)) {
          wait = Math.min(wait, Math.max(start + GREETING_PROBE_AFTER.toNanos() - now, POLL));
        }
        ValidationAttempt.Event event = attempt.events.poll(wait, TimeUnit.NANOSECONDS);
        if (event instanceof ValidationAttempt.Phase p) {
          phases.add(p.timing());
          report(p.timing());
        } else if (event instanceof ValidationAttempt.Done) {
          done = true;
        } else if (event instanceof ValidationAttempt.TlsAnswer answer && answer.speaksTls()) {
          attempt.abort();
          error =
              DeadlineExceededException.noGreetingAfter(
                  Duration.ofNanos(System.nanoTime() - start));
          answersTls = true;
        } else if (event == null
            && !probed
            && earlyProbe(settings)
            && System.nanoTime() - start >= GREETING_PROBE_AFTER.toNanos()
            && attempt.waitsForGreeting(GREETING_PROBE_AFTER.toNanos())) {
          Duration timeout = min(min(PROBE_TIMEOUT, options.connectTimeout()), remaining(end));
          probed = true;
          WORKERS.execute(() -> attempt.probeTls(timeout));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      attempt.abort();
      error =
          new DeadlineExceededException("the check", Duration.ofNanos(System.nanoTime() - start));
    }
    if (error == null) {
      if (done) {
        error = attempt.error;
      } else {
        attempt.abort();
        error = new DeadlineExceededException("the check", deadline);
      }
    }
    SmtpFailure failure =
        error == null ? null : attempt.classify(error, answersTls, options.connectTimeout());
    if (error != null
        && failure != null
        && !probed
        && failure.kind() == FailureKind.NO_GREETING
        && settings.encryption() != Encryption.TLS) {
      // a port that expects TLS greets no clear-text client: ask it on a second connection
      Duration left = remaining(end);
      if (!left.isZero() && attempt.speaksTls(min(left, PROBE_TIMEOUT))) {
        failure = attempt.classify(error, true, options.connectTimeout());
      }
    }
    ValidationResult result =
        attempt.result(failure, phases, Duration.ofNanos(System.nanoTime() - start));
    return failure != null && CERTIFICATE_KINDS.contains(failure.kind()) && result.tls().isEmpty()
        ? withRefusedCertificate(result, settings, end)
        : result;
  }

  private static final java.util.Set<FailureKind> CERTIFICATE_KINDS =
      java.util.EnumSet.of(
          FailureKind.CERTIFICATE_UNTRUSTED,
          FailureKind.CERTIFICATE_EXPIRED,
          FailureKind.CERTIFICATE_NAME_MISMATCH);

  /**
   * The administrator fixing a refused certificate needs to see it (its names, issuer, expiry), and
   * a refused handshake leaves no session to read it from: a second look within the deadline,
   * without verifying and without credentials — nothing secret crosses a connection nobody verified
   * — only for {@link ValidationResult#tls()}.
   */
  private ValidationResult withRefusedCertificate(
      ValidationResult result, SmarthostSettings settings, long end) {
    Duration left = remaining(end);
    if (left.compareTo(Duration.ofMillis(100)) < 0) {
      return result;
    }
    SmarthostSettings look = settings.toBuilder().verifyTls(false).noCredentials().build();
    ValidationResult seen =
        new SmtpConnectionValidator(options, left, lookups, null).run(look, null);
    return seen.tls().map(result::withTls).orElse(result);
  }

  private static final long POLL = TimeUnit.MILLISECONDS.toNanos(100);

  /**
   * Whether to try TLS on a second connection while a clear-text client still waits for the
   * greeting. Never on port 25: there a greeting may be delayed on purpose (Postfix' postscreen),
   * and a client that talks first may be blocked as a spammer.
   */
  private static boolean earlyProbe(SmarthostSettings settings) {
    return settings.encryption() != Encryption.TLS && settings.port() != 25;
  }

  private void report(PhaseTiming timing) {
    PhaseListener listener = progress;
    if (listener != null) {
      listener.completed(timing);
    }
  }

  private static Duration remaining(long endNanos) {
    return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
  }

  /**
   * The deadline is enforced by giving up on the worker and closing its socket; read and write
   * timeouts a little longer than the deadline only make sure the worker thread ends, too.
   */
  private SmtpOptions bounded(SmtpOptions o) {
    Duration backstop = deadline.plusSeconds(1);
    return o.toBuilder()
        .connectTimeout(min(o.connectTimeout(), deadline))
        .readTimeout(min(o.readTimeout(), backstop))
        .writeTimeout(min(o.writeTimeout(), backstop))
        .build();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * At most {@value #MAX_WORKERS} checks run at once (more wait their turn, within their own
   * deadline); every worker ends by the deadline plus a second, because its socket is aborted and
   * its host name lookup is only waited for until the deadline.
   */
  private static ExecutorService workers() {
    return DaemonPools.bounded("smarthost-validator", MAX_WORKERS);
  }

  private static final int MAX_WORKERS = 32;

  @Override
  public String toString() {
    return "SmtpConnectionValidator{deadline=" + deadline + ", " + options + "}";
  }
}
