package dev.smarthost.core.internal;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * What one connection attempt of a {@link SmarthostTransport} reached and when: the marks from
 * which the validator derives its phase timings, plus greeting, EHLO reply and TLS session. Written
 * by the connecting thread, read after it finished (or by a watchdog, hence volatile).
 */
public final class ConnectionTrace {
  volatile long startNanos;
  volatile long connectedNanos;
  volatile long tlsStartNanos;
  volatile long tlsEndNanos;
  volatile long greetingStartNanos;
  volatile long greetingNanos;
  volatile long ehloNanos;
  volatile long lastEhloEndNanos;
  volatile long endNanos;
  volatile boolean authenticated;
  volatile @Nullable String greeting;
  volatile @Nullable String ehloReply;
  volatile @Nullable SSLSession tlsSession;
  volatile @Nullable Socket socket;

  ConnectionTrace() {
    this.startNanos = System.nanoTime();
  }

  public boolean connected() {
    return connectedNanos != 0;
  }

  public boolean greeted() {
    return greetingNanos != 0;
  }

  public boolean tlsStarted() {
    return tlsStartNanos != 0;
  }

  public boolean authenticated() {
    return authenticated;
  }

  public Optional<String> greeting() {
    return Optional.ofNullable(greeting);
  }

  public Optional<SSLSession> tlsSession() {
    return Optional.ofNullable(tlsSession);
  }

  /** The extension lines of the last EHLO reply (after STARTTLS, if any), without the first. */
  public List<String> ehloExtensions() {
    String reply = ehloReply;
    if (reply == null) {
      return List.of();
    }
    String[] lines = reply.split("\r?\n");
    return java.util.Arrays.stream(lines)
        .skip(1)
        .filter(l -> l.length() > 4)
        .map(l -> l.substring(4))
        .collect(java.util.stream.Collectors.toUnmodifiableList());
  }

  /** Closes the connection from another thread, to end an attempt past its deadline. */
  public void abort() {
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (java.io.IOException ignored) {
        // aborting anyway
      }
    }
  }

  public Optional<Duration> connect() {
    return between(startNanos, connectedNanos);
  }

  public Optional<Duration> tls() {
    return between(tlsStartNanos, tlsEndNanos);
  }

  public Optional<Duration> greetingTime() {
    return between(greetingStartNanos, greetingNanos);
  }

  public Optional<Duration> ehlo() {
    return ehloNanos == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(ehloNanos));
  }

  public Optional<Duration> auth() {
    return authenticated ? between(lastEhloEndNanos, endNanos) : Optional.empty();
  }

  private static Optional<Duration> between(long from, long to) {
    return from == 0 || to == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(to - from));
  }
}
