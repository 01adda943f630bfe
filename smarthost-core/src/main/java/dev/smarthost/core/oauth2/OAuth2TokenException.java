package dev.smarthost.core.oauth2;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The token endpoint did not give an access token. Thrown by a {@link TokenSource}; the mailer and
 * the validator report it as {@link dev.smarthost.FailureKind#OAUTH2_TOKEN_FAILED} with the OAuth
 * error code in the detail. The message never contains the client secret or a token.
 */
public final class OAuth2TokenException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The OAuth error code, e.g. {@code invalid_client}; null if there was no OAuth answer. */
  private final @Nullable String errorCode;

  /** The HTTP status of the answer, 0 if there was none. */
  private final int httpStatus;

  /**
   * Creates the exception.
   *
   * @param message what happened, for people; no secret, no token
   * @param errorCode the OAuth error code of the answer ({@code invalid_client}, {@code
   *     unauthorized_client}, {@code invalid_scope}, {@code invalid_grant}, …), or null
   * @param httpStatus the HTTP status of the answer, or 0 without one
   * @param cause the underlying failure, or null
   */
  public OAuth2TokenException(
      String message, @Nullable String errorCode, int httpStatus, @Nullable Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
    this.httpStatus = httpStatus;
  }

  /**
   * Returns the OAuth error code of the token endpoint's answer.
   *
   * @return for example {@code invalid_client}; empty if the endpoint did not answer with one
   */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /**
   * Returns the HTTP status of the token endpoint's answer.
   *
   * @return the status; empty if there was no answer
   */
  public OptionalInt httpStatus() {
    return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }
}
