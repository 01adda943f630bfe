package dev.smarthost.core.check;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.check.DiscoveryResult.Candidate;
import dev.smarthost.core.internal.DaemonPools;
import dev.smarthost.core.internal.DeadlineExceededException;
import dev.smarthost.core.internal.FailureClassifier;
import dev.smarthost.core.internal.FailureContext;
import dev.smarthost.core.session.ValidationPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Tries each port with the encryption it answers to, all ports at once and within one deadline:
 * implicit TLS first (a clear-text port answers a TLS client at once, with {@code
 * SERVER_DOES_NOT_SPEAK_TLS}), then STARTTLS, then clear text. Certificates are always verified,
 * and credentials never go out in clear text.
 */
final class Discovery {
  /** At most this many ports in one discovery. */
  static final int MAX_PORTS = 16;

  private static final ExecutorService PORTS = DaemonPools.bounded("smarthost-discover", 8);

  private final SmtpConnectionValidator validator;
  private final SmarthostSettings template;

  Discovery(SmtpConnectionValidator validator, SmarthostSettings template) {
    this.validator = validator;
    this.template = template;
  }

  /** A port whose check did not end within the deadline: it did not answer in time. */
  private SmtpFailure notChecked(int port) {
    return FailureClassifier.classify(
        new DeadlineExceededException("checking port " + port, validator.deadline()),
        FailureContext.checking(
                template.toBuilder().port(port).build(), validator.options().connectTimeout())
            .afterLookup());
  }

  static List<Integer> checkPorts(List<Integer> ports) {
    Set<Integer> unique = new LinkedHashSet<>();
    for (Integer port : ports) {
      if (port == null || port < 1 || port > 65535) {
        throw new IllegalArgumentException("ports: each must be 1–65535, but was " + port);
      }
      unique.add(port);
    }
    if (unique.isEmpty() || unique.size() > MAX_PORTS) {
      throw new IllegalArgumentException(
          "ports: give 1–" + MAX_PORTS + " ports, but were " + unique.size());
    }
    return List.copyOf(unique);
  }

  DiscoveryResult run(List<Integer> ports) {
    long start = System.nanoTime();
    long end = start + validator.deadline().toNanos();
    List<Future<List<Candidate>>> futures = new ArrayList<>();
    for (int port : ports) {
      futures.add(PORTS.submit(() -> tryPort(port, end)));
    }
    List<Candidate> candidates = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      try {
        // each validate call ends by its own deadline; the extra second covers the bookkeeping
        long wait = Math.max(0, end - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1);
        candidates.addAll(futures.get(i).get(wait, TimeUnit.NANOSECONDS));
      } catch (TimeoutException | ExecutionException e) {
        futures.get(i).cancel(true);
        candidates.add(
            new Candidate(
                ports.get(i),
                Encryption.TLS,
                false,
                notChecked(ports.get(i)),
                Duration.ofNanos(System.nanoTime() - start)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(f -> f.cancel(true));
        break;
      }
    }
    return new DiscoveryResult(
        recommend(candidates), candidates, Duration.ofNanos(System.nanoTime() - start));
  }

  private List<Candidate> tryPort(int port, long end) {
    List<Candidate> tried = new ArrayList<>();
    Set<Encryption> done = EnumSet.noneOf(Encryption.class);
    Encryption encryption = port == 465 ? Encryption.TLS : Encryption.STARTTLS;
    while (encryption != null && done.add(encryption)) {
      long left = end - System.nanoTime();
      if (left < TimeUnit.MILLISECONDS.toNanos(1)) {
        break;
      }
      boolean clear = encryption == Encryption.NONE;
      SmarthostSettings.Builder b =
          template.toBuilder().port(port).encryption(encryption).verifyTls(true);
      if (clear) {
        b.noCredentials(); // never send a password in clear text to find out
      }
      ValidationResult r = validator.withDeadline(Duration.ofNanos(left)).validate(b.build());
      SmtpFailure failure = r.failure().orElse(null);
      tried.add(
          new Candidate(
              port,
              encryption,
              // logged in only where the check got through AUTH, not merely had a password
              !clear && template.hasCredentials() && r.phaseNames().contains(ValidationPhase.AUTH),
              failure,
              r.total()));
      encryption = failure == null ? null : next(encryption, failure.kind());
    }
    return tried;
  }

  /**
   * What to try after this failure on the same port, or null. Port 465 starts with implicit TLS,
   * every other port with STARTTLS: a client that speaks first (a TLS ClientHello) before a delayed
   * greeting may be blocked as a spammer on port 25 (Postfix' postscreen).
   */
  static @Nullable Encryption next(Encryption tried, FailureKind kind) {
    return switch (kind) {
      case SERVER_DOES_NOT_SPEAK_TLS, TLS_HANDSHAKE_FAILED, PROTOCOL_ERROR ->
          tried == Encryption.TLS ? Encryption.STARTTLS : null;
      case STARTTLS_NOT_OFFERED -> Encryption.NONE;
      case SERVER_EXPECTS_TLS -> Encryption.TLS;
      default -> null;
    };
  }

  private @Nullable SmarthostSettings recommend(List<Candidate> candidates) {
    Candidate best = null;
    for (Candidate c : candidates) {
      if (c.ok() && (best == null || rank(c) > rank(best))) {
        best = c;
      }
    }
    if (best == null) {
      return null;
    }
    SmarthostSettings.Builder b =
        template.toBuilder().port(best.port()).encryption(best.encryption()).verifyTls(true);
    if (best.encryption() == Encryption.NONE) {
      b.noCredentials();
    }
    return b.build();
  }

  /**
   * Implicit TLS (RFC 8314 prefers it) over STARTTLS over clear text; a candidate that logged in
   * over one that did not. Ties keep the order of the ports given.
   */
  private static int rank(Candidate c) {
    int encryption =
        c.encryption() == Encryption.TLS ? 3 : c.encryption() == Encryption.STARTTLS ? 2 : 0;
    return encryption * 2 + (c.authenticated() ? 1 : 0);
  }
}
