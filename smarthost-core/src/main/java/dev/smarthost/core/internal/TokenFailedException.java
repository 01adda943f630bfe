package dev.smarthost.core.internal;

import dev.smarthost.core.OAuth2TokenException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** No access token, so no login: carries the source's failure to the classifier. */
public final class TokenFailedException extends MessagingException {
  private static final long serialVersionUID = 1L;

  TokenFailedException(IOException cause) {
    super(cause.getMessage(), cause);
  }

  /** Whether no request was made because the Nimbus SDK is not on the class path. */
  public boolean missingSdk() {
    Throwable cause = getCause();
    return cause != null && ClientCredentials.MISSING_SDK.equals(cause.getMessage());
  }

  /** The OAuth error code of the token endpoint's answer, if there was one. */
  public @Nullable String errorCode() {
    Throwable cause = getCause();
    return cause instanceof OAuth2TokenException
        ? ((OAuth2TokenException) cause).errorCode().orElse(null)
        : null;
  }
}
