package dev.smarthost.core.internal;

import dev.smarthost.core.session.PhaseTiming;
import dev.smarthost.core.session.ValidationPhase;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/**
 * What one connection attempt of a {@link SmarthostTransport} reached: greeting, EHLO reply, TLS
 * session, and each completed step as a {@link PhaseTiming} to the validator's sink, in the order
 * they happen. Written by the connecting thread, read after it finished (or by a watchdog, hence
 * volatile).
 */
public final class ConnectionTrace {
  volatile long startNanos;
  volatile long connectedNanos;
  volatile long tlsStartNanos;
  volatile long greetingNanos;
  volatile long lastEhloEndNanos;
  volatile boolean authenticated;
  volatile @Nullable String greeting;
  volatile @Nullable String ehloReply;
  volatile @Nullable SSLSession tlsSession;
  volatile @Nullable Socket socket;
  volatile int roundTrips;
  volatile boolean pipelined;
  volatile boolean chunked;
  private final @Nullable Consumer<PhaseTiming> phases;

  ConnectionTrace(@Nullable Consumer<PhaseTiming> phases) {
    this.startNanos = System.nanoTime();
    this.phases = phases;
  }

  /** Reports a step that ran from {@code fromNanos} until now; returns now. */
  long phase(ValidationPhase phase, long fromNanos) {
    long now = System.nanoTime();
    phase(phase, fromNanos, now);
    return now;
  }

  /** Reports a step that ran from {@code fromNanos} to {@code toNanos}. */
  void phase(ValidationPhase phase, long fromNanos, long toNanos) {
    Consumer<PhaseTiming> sink = phases;
    if (sink != null && fromNanos != 0) {
      sink.accept(PhaseTiming.of(phase, Duration.ofNanos(Math.max(0, toNanos - fromNanos))));
    }
  }

  public boolean connected() {
    return connectedNanos != 0;
  }

  /**
   * How long the connection has waited for the greeting so far; 0 before connecting or after it.
   */
  public long waitingForGreetingNanos() {
    long connected = connectedNanos;
    return connected == 0 || greetingNanos != 0 ? 0 : System.nanoTime() - connected;
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

  /** Records how the last message on this connection went. */
  void transactionDone(int roundTrips, boolean pipelined, boolean chunked) {
    this.roundTrips = roundTrips;
    this.pipelined = pipelined;
    this.chunked = chunked;
  }

  /**
   * How often the last pipelined or chunked message on this connection waited for the server (0
   * when it went command by command through Angus).
   */
  public int lastRoundTrips() {
    return roundTrips;
  }

  /** Whether the last message on this connection was sent with PIPELINING. */
  public boolean lastPipelined() {
    return pipelined;
  }

  /** Whether the last message on this connection was sent with BDAT (CHUNKING). */
  public boolean lastChunked() {
    return chunked;
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
}
