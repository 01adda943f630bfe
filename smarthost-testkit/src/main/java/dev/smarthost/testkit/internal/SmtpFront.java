package dev.smarthost.testkit.internal;

import dev.smarthost.Encryption;
import dev.smarthost.testkit.Fault;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/** Accepts client connections on loopback and runs a {@link FrontSession} for each. */
public final class SmtpFront implements AutoCloseable {
  private final MailStore store;
  private final FrontOptions options;
  private final TlsContexts tls;
  private final FaultRegistry faults;
  private final Consumer<Transaction> accepted;
  private final ServerSocket serverSocket;
  private final ExecutorService sessions;
  private final Thread acceptor;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  public SmtpFront(
      FrontOptions options,
      MailStore store,
      TlsContexts tls,
      FaultRegistry faults,
      Consumer<Transaction> accepted)
      throws IOException {
    this.store = store;
    this.options = options;
    this.tls = tls;
    this.faults = faults;
    this.accepted = accepted;
    this.serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 50);
    int boundPort = serverSocket.getLocalPort();
    AtomicInteger threads = new AtomicInteger();
    this.sessions =
        Executors.newCachedThreadPool(
            r ->
                daemon(
                    r, "smarthost-testkit-" + boundPort + "-session-" + threads.incrementAndGet()));
    this.acceptor = daemon(this::acceptLoop, "smarthost-testkit-" + boundPort + "-accept");
    acceptor.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void acceptLoop() {
    while (!closed) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        return; // closed
      }
      connections.incrementAndGet();
      // beyond the limit: answered 421 at connect, as Postfix' and Exim's connection limits do
      boolean refuse = options.maxConnections() > 0 && open.size() >= options.maxConnections();
      open.add(socket);
      try {
        socket.setTcpNoDelay(true);
        sessions.execute(new FrontSession(this, socket, faults.forConnection(), refuse));
      } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
        closed(socket);
      }
    }
  }

  public int port() {
    return serverSocket.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  Encryption encryption() {
    return options.encryption();
  }

  @Nullable String username() {
    return options.username();
  }

  @Nullable Predicate<String> tokenVerifier() {
    return options.tokenVerifier();
  }

  @Nullable String password() {
    return options.password();
  }

  MailStore store() {
    return store;
  }

  /** Whether EHLO offers PIPELINING (RFC 2920). */
  boolean pipelining() {
    return options.pipelining();
  }

  /** Whether EHLO offers CHUNKING (RFC 3030, BDAT). */
  boolean chunking() {
    return options.chunking();
  }

  /** Whether EHLO offers SMTPUTF8 (RFC 6531). */
  boolean smtputf8() {
    return options.smtputf8();
  }

  /** The message size limit EHLO advertises (RFC 1870): 0 for none. */
  long advertisedSize() {
    return options.maxMessageSize();
  }

  /** The message size limit the server enforces. */
  long maxMessageSize() {
    return options.maxMessageSize() == 0 ? Integer.MAX_VALUE - 8 : options.maxMessageSize();
  }

  int idleTimeoutMillis() {
    return options.idleTimeoutMillis();
  }

  SSLContext tlsContext(Fault.@Nullable Condition certificateFault) {
    return tls.forFault(certificateFault);
  }

  Optional<Fault> trigger(Fault.Step step, @Nullable String recipient) {
    return faults.trigger(step, recipient);
  }

  String nextId() {
    return Long.toString(ids.incrementAndGet(), 36).toUpperCase(java.util.Locale.ROOT)
        + "T"
        + port();
  }

  void accepted(Transaction transaction) {
    accepted.accept(transaction);
  }

  void closed(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  /** Stops accepting, closes every connection and waits for the session threads to end. */
  @Override
  public void close() {
    closed = true;
    try {
      serverSocket.close();
    } catch (IOException ignored) {
      // closing our own listener
    }
    for (Socket socket : open) {
      closed(socket);
    }
    sessions.shutdownNow();
    try {
      acceptor.join(5_000);
      if (!sessions.awaitTermination(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("testkit session threads did not stop within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
