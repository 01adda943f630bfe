package dev.smarthost.core.internal;

import dev.smarthost.OAuth2Client;
import dev.smarthost.core.oauth2.AccessToken;
import dev.smarthost.core.oauth2.OAuth2TokenException;
import dev.smarthost.core.oauth2.TokenSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Access tokens per {@link OAuth2Client}, kept until shortly before they expire (a quarter of the
 * lifetime, at most a minute), fetched once for all threads that need a new one (single flight),
 * and dropped when the server rejected one so that the next lease fetches again.
 */
public final class TokenCache {
  private static final Duration MAX_MARGIN = Duration.ofMinutes(1);
  private static final TokenCache DEFAULT = new TokenCache(TokenSource.clientCredentials());

  private final TokenSource source;
  private final Map<OAuth2Client, Slot> slots = new ConcurrentHashMap<>();

  public TokenCache(TokenSource source) {
    this.source = source;
  }

  /** The JVM's cache for {@link TokenSource#clientCredentials()}. */
  public static TokenCache defaultCache() {
    return DEFAULT;
  }

  public TokenSource source() {
    return source;
  }

  /** A token and whether it was fetched for this lease (a cached one may have been revoked). */
  public static final class Lease {
    public final AccessToken token;
    public final boolean fresh;

    Lease(AccessToken token, boolean fresh) {
      this.token = token;
      this.fresh = fresh;
    }
  }

  /**
   * Returns a valid token: the cached one, or a new one from the source.
   *
   * @param timeout how long the fetch may take
   * @throws IOException what the source threw, or {@link OAuth2TokenException} if waiting for
   *     another thread's fetch took longer than the timeout
   */
  public Lease lease(OAuth2Client client, Duration timeout) throws IOException {
    Slot slot = slots.computeIfAbsent(client, c -> new Slot());
    CompletableFuture<AccessToken> flight;
    boolean leader = false;
    synchronized (slot) {
      if (slot.token != null && Instant.now().isBefore(slot.refreshAt)) {
        return new Lease(slot.token, false);
      }
      if (slot.inFlight == null) {
        slot.inFlight = new CompletableFuture<>();
        leader = true;
      }
      flight = slot.inFlight;
    }
    if (leader) {
      fetch(client, timeout, slot, flight);
    }
    try {
      return new Lease(flight.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS), true);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new OAuth2TokenException("the token source failed: " + cause, null, 0, cause);
    } catch (TimeoutException e) {
      throw new OAuth2TokenException(
          "no access token from " + client.tokenEndpoint() + " within " + timeout, null, 0, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OAuth2TokenException("interrupted while waiting for an access token", null, 0, e);
    }
  }

  private void fetch(
      OAuth2Client client, Duration timeout, Slot slot, CompletableFuture<AccessToken> flight) {
    AccessToken token = null;
    Throwable failure = null;
    try {
      token = source.fetch(client, timeout);
      if (token == null) {
        failure = new OAuth2TokenException("the token source returned no token", null, 0, null);
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
    } catch (Error e) {
      // an OutOfMemoryError from a huge answer, a LinkageError: this fetch fails, the next may not
      failure = new OAuth2TokenException("the token request failed: " + e, null, 0, e);
      throw e;
    } finally {
      // whatever happened, the flight ends here: a flight left set would make every later login
      // wait for a fetch that never completes
      synchronized (slot) {
        slot.inFlight = null;
        if (token != null) {
          slot.token = token;
          slot.refreshAt = refreshAt(token);
        }
      }
      if (token != null) {
        flight.complete(token);
      } else {
        flight.completeExceptionally(
            failure != null
                ? failure
                : new OAuth2TokenException("the token request failed", null, 0, null));
      }
    }
  }

  private static Instant refreshAt(AccessToken token) {
    Instant now = Instant.now();
    Duration lifetime = Duration.between(now, token.expiresAt());
    if (lifetime.isNegative()) {
      return now;
    }
    Duration margin = lifetime.dividedBy(4);
    return token.expiresAt().minus(margin.compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : margin);
  }

  /** Forgets {@code rejected} if it is still the cached token of the client. */
  public void invalidate(OAuth2Client client, AccessToken rejected) {
    Slot slot = slots.get(client);
    if (slot != null) {
      synchronized (slot) {
        if (slot.token == rejected) {
          slot.token = null;
        }
      }
    }
  }

  /**
   * What a session needs to log in with OAuth 2.0: the client, this cache and the fetch timeout;
   * part of the session's {@link TransportConfig}.
   *
   * @param client the OAuth 2.0 client
   * @param cache the cache of the session's options (compared by identity: it has no equals)
   * @param timeout how long a token request may take
   */
  public record Login(OAuth2Client client, TokenCache cache, Duration timeout) {
    @Override
    public String toString() {
      return "OAuth2 login via " + client.tokenEndpoint();
    }
  }

  private static final class Slot {
    @Nullable AccessToken token;
    Instant refreshAt = Instant.EPOCH;
    @Nullable CompletableFuture<AccessToken> inFlight;
  }
}
