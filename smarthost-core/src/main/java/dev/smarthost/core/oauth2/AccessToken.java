package dev.smarthost.core.oauth2;

import java.time.Instant;
import java.util.Objects;

/**
 * An OAuth 2.0 access token and when it expires, as a {@link TokenSource} returns it. {@link
 * #toString()} never shows the token.
 */
public final class AccessToken {
  private final String value;
  private final Instant expiresAt;

  private AccessToken(String value, Instant expiresAt) {
    this.value = value;
    this.expiresAt = expiresAt;
  }

  /**
   * Returns a token.
   *
   * @param value the token as the server sends it with SASL XOAUTH2 (e.g. a JWT)
   * @param expiresAt when it stops being valid; the library asks for a new one shortly before
   * @return the token
   * @throws IllegalArgumentException if the value is empty or contains spaces or control characters
   */
  public static AccessToken of(String value, Instant expiresAt) {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
      throw new IllegalArgumentException(
          "value: an access token must be non-empty, without spaces or control characters");
    }
    return new AccessToken(value, expiresAt);
  }

  /**
   * Returns the token. Never logged or printed by this library.
   *
   * @return the token
   */
  public String value() {
    return value;
  }

  /**
   * Returns when the token expires.
   *
   * @return the expiry
   */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** Returns the expiry, never the token. */
  @Override
  public String toString() {
    return "AccessToken{****, expiresAt=" + expiresAt + "}";
  }
}
