package dev.smarthost;

/** How the library logs in to the smarthost. */
public enum Authentication {
  /** No login: the server relays for this client without one (a relay by address). */
  NONE,
  /** SASL PLAIN or LOGIN with a user name and password. */
  PASSWORD,
  /**
   * SASL XOAUTH2 with an OAuth 2.0 access token that the library obtains for the user name from an
   * {@link OAuth2Client} (the client-credentials grant) and refreshes itself.
   */
  OAUTH2
}
