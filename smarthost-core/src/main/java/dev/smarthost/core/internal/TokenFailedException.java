package dev.smarthost.core.internal;

import dev.smarthost.core.oauth2.OAuth2TokenException;
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
    // the default token source's answer without the SDK: its cause is the failed class lookup
    return getCause() instanceof OAuth2TokenException token
        && (token.getCause() instanceof ClassNotFoundException
            || token.getCause() instanceof LinkageError);
  }

  /** The OAuth error code of the token endpoint's answer, if there was one. */
  public @Nullable String errorCode() {
    return getCause() instanceof OAuth2TokenException token ? token.errorCode().orElse(null) : null;
  }
}
