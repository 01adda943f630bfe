package dev.smarthost.core.check;

import dev.smarthost.core.internal.DaemonPools;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Host name lookups with a deadline. The JDK's lookup cannot be interrupted and may hang for as
 * long as the system resolver likes; here it runs on one of a few daemon threads, the caller waits
 * at most its deadline, and concurrent lookups of the same name share one thread (so a hung name
 * checked again and again holds one thread, not one per check).
 */
final class HostLookups {
  /** The lookup itself; {@link InetAddress#getAllByName} in production. */
  public interface Resolver {
    /** Resolves a name; may block. */
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** The JDK's resolver on at most 8 threads. */
  public static final HostLookups SYSTEM = new HostLookups(InetAddress::getAllByName, 8);

  private final Resolver resolver;
  private final ThreadPoolExecutor threads;
  private final ConcurrentHashMap<String, CompletableFuture<InetAddress[]>> inFlight =
      new ConcurrentHashMap<>();

  public HostLookups(Resolver resolver, int maxThreads) {
    this.resolver = resolver;
    this.threads = DaemonPools.bounded("smarthost-dns", maxThreads);
  }

  /**
   * Resolves a name within a deadline.
   *
   * @throws UnknownHostException if the name does not resolve
   * @throws TimeoutException if the lookup took longer than {@code timeout} (it goes on in the
   *     background and serves later callers)
   */
  public InetAddress[] lookup(String host, Duration timeout)
      throws UnknownHostException, TimeoutException, InterruptedException {
    CompletableFuture<InetAddress[]> lookup =
        inFlight.computeIfAbsent(
            host,
            h -> {
              CompletableFuture<InetAddress[]> f = new CompletableFuture<>();
              threads.execute(
                  () -> {
                    try {
                      f.complete(resolver.resolve(h));
                    } catch (UnknownHostException | RuntimeException e) {
                      f.completeExceptionally(e);
                    } finally {
                      inFlight.remove(h, f);
                    }
                  });
              return f;
            });
    try {
      return lookup.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownHostException) {
        throw (UnknownHostException) e.getCause();
      }
      UnknownHostException failed = new UnknownHostException(host);
      failed.initCause(e.getCause());
      throw failed;
    }
  }
}
