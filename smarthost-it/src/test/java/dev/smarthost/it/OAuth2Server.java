package dev.smarthost.it;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.smarthost.OAuth2Client;
import java.net.URI;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A real OAuth 2.0 authorization server in-process (NAV's mock-oauth2-server: signed JWTs, a JWKS,
 * the client-credentials grant) and the check a mail server makes of its tokens: RS256 signature
 * against the server's JWKS, issuer, expiry, and not revoked.
 */
final class OAuth2Server implements AutoCloseable {
  static final String ISSUER = "entra";
  static final String CLIENT_ID = "3f1c6a52-app";
  static final String CLIENT_SECRET = "Cl1ent~Secret.Marker_0815";
  static final String SCOPE = "https://outlook.office365.com/.default";

  final MockOAuth2Server server = new MockOAuth2Server();

  /** Tokens the mail server saw, accepted or not, in order. */
  final List<String> presented = new CopyOnWriteArrayList<>();

  final Set<String> revoked = java.util.concurrent.ConcurrentHashMap.newKeySet();

  OAuth2Server() {
    server.start();
  }

  URI tokenEndpoint() {
    return literal(server.tokenEndpointUrl(ISSUER));
  }

  /**
   * The mock server's URL with the literal loopback address instead of {@code localhost}: a client
   * secret goes over plain http only to a literal loopback address.
   */
  static URI literal(okhttp3.HttpUrl url) {
    return url.newBuilder().host("127.0.0.1").build().uri();
  }

  OAuth2Client client() {
    return OAuth2Client.of(tokenEndpoint(), CLIENT_ID, CLIENT_SECRET, SCOPE);
  }

  /** The mail server's check of a bearer token. */
  Predicate<String> verifier() {
    return token -> {
      presented.add(token);
      try {
        SignedJWT jwt = SignedJWT.parse(token);
        JWKSet keys = JWKSet.load(server.jwksUrl(ISSUER).url(), 2_000, 2_000, 100_000);
        RSAKey key = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        return key != null
            && jwt.verify(new RSASSAVerifier(key))
            && java.util.List.of(
                    server.issuerUrl(ISSUER).toString(),
                    literal(server.issuerUrl(ISSUER)).toString())
                .contains(jwt.getJWTClaimsSet().getIssuer())
            && jwt.getJWTClaimsSet().getExpirationTime().after(new Date())
            && !revoked.contains(token);
      } catch (Exception e) {
        return false;
      }
    };
  }

  /**
   * A token endpoint that answers the next request with this OAuth error (RFC 6749 §5.2), as
   * Microsoft Entra ID does for a deleted secret or a missing permission. (The mock server accepts
   * every client, so errors come from a plain MockWebServer with the same answer format.)
   */
  static MockWebServer failingEndpoint(int status, String error, String description)
      throws java.io.IOException {
    MockWebServer server = new MockWebServer();
    server.enqueue(
        new MockResponse()
            .setResponseCode(status)
            .setHeader("Content-Type", "application/json")
            .setBody(
                "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}"));
    server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /** The token requests made so far (and not yet taken), waiting briefly for each. */
  List<RecordedRequest> tokenRequests() throws InterruptedException {
    List<RecordedRequest> requests = new java.util.ArrayList<>();
    RecordedRequest r;
    while (true) {
      try {
        r = server.takeRequest(200, TimeUnit.MILLISECONDS);
      } catch (RuntimeException none) { // "no request found in queue within timeout"
        return requests;
      }
      if (r.getPath() != null && r.getPath().endsWith("/token")) {
        requests.add(r);
      }
    }
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
