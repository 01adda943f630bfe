package dev.smarthost.core.oauth2;

/**
 * The default {@link TokenSource}: the client-credentials grant through the Nimbus SDK when it is
 * on the class path, otherwise a source whose every fetch says what to add.
 */
final class ClientCredentials {
  private static final TokenSource SOURCE = create();

  private ClientCredentials() {}

  /** What a token request says when the Nimbus SDK is not on the class path. */
  private static final String MISSING_SDK =
      "OAuth 2.0 settings need the Nimbus OAuth 2.0 SDK to fetch tokens: add"
          + " com.nimbusds:oauth2-oidc-sdk to the application (or set SmtpOptions.tokenSource)";

  /** The one default source of this JVM. */
  public static TokenSource source() {
    return SOURCE;
  }

  private static TokenSource create() {
    try {
      Class.forName(
          "com.nimbusds.oauth2.sdk.TokenRequest", false, ClientCredentials.class.getClassLoader());
      return new NimbusClientCredentials();
    } catch (ClassNotFoundException | LinkageError e) {
      // the cause's type is what the classifier recognises (TokenFailedException.missingSdk)
      return (client, timeout) -> {
        throw new OAuth2TokenException(MISSING_SDK, null, 0, e);
      };
    }
  }
}
