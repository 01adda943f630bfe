package dev.smarthost.testkit.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The server side of AUTH PLAIN, LOGIN, XOAUTH2 and OAUTHBEARER (RFC 7628): what the client claims,
 * or the reply refusing it.
 */
public final class SaslExchange {
  /** Sends a 334 challenge and returns the client's response line. */
  interface Channel {
    String challenge(String base64) throws IOException;
  }

  /** The client answered a challenge with "*". */
  static final class Cancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super(null, null, false, false);
    }
  }

  final @Nullable String user;
  final @Nullable String password;
  final @Nullable String refusal;
  final @Nullable String token;

  /** The JSON error of a rejected bearer token, base64, as Gmail sends it. */
  static final String OAUTH2_ERROR =
      Base64.getEncoder()
          .encodeToString(
              "{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"smtp\"}"
                  .getBytes(StandardCharsets.UTF_8));

  private SaslExchange(
      @Nullable String user,
      @Nullable String password,
      @Nullable String token,
      @Nullable String refusal) {
    this.user = user;
    this.password = password;
    this.token = token;
    this.refusal = refusal;
  }

  private static SaslExchange refused(String reply) {
    return new SaslExchange(null, null, null, reply);
  }

  /**
   * Runs the exchange for the AUTH command's argument ("PLAIN [response]", "LOGIN [user]", "XOAUTH2
   * [response]", "OAUTHBEARER [response]"), for the mechanisms that are offered.
   */
  static SaslExchange run(String argument, Channel channel, boolean password, boolean bearer)
      throws IOException {
    String[] parts = argument.split(" ", 2);
    String mechanism = parts[0].toUpperCase(Locale.ROOT);
    boolean offered =
        (password && (mechanism.equals("PLAIN") || mechanism.equals("LOGIN")))
            || (bearer && (mechanism.equals("XOAUTH2") || mechanism.equals("OAUTHBEARER")));
    if (!offered) {
      return refused("504 5.5.4 Unrecognized authentication mechanism");
    }
    try {
      String initial = parts.length > 1 ? parts[1] : null;
      if (mechanism.equals("XOAUTH2")) {
        // user=U ^A auth=Bearer T ^A ^A
        return bearer(decode(initial != null ? initial : channel.challenge("")), "user=");
      }
      if (mechanism.equals("OAUTHBEARER")) {
        // n,a=U, ^A host=… ^A port=… ^A auth=Bearer T ^A ^A
        String response = decode(initial != null ? initial : channel.challenge(""));
        String[] header = response.split("\u0001", 2)[0].split(",", -1);
        String user = header.length > 1 && header[1].startsWith("a=") ? header[1].substring(2) : "";
        SaslExchange parsed = bearer(response, null);
        return parsed.refusal != null ? parsed : new SaslExchange(user, null, parsed.token, null);
      }
      if (mechanism.equals("PLAIN")) {
        // authzid NUL authcid NUL password
        String[] fields =
            decode(parts.length > 1 ? parts[1] : channel.challenge("")).split("\u0000", -1);
        return fields.length == 3
            ? new SaslExchange(fields[1], fields[2], null, null)
            : refused("501 5.5.2 Malformed PLAIN response");
      }
      if (mechanism.equals("LOGIN")) {
        String user = decode(parts.length > 1 ? parts[1] : channel.challenge("VXNlcm5hbWU6"));
        return new SaslExchange(user, decode(channel.challenge("UGFzc3dvcmQ6")), null, null);
      }
      return refused("504 5.5.4 Unrecognized authentication mechanism");
    } catch (IllegalArgumentException e) {
      return refused("501 5.5.2 Cannot decode response");
    } catch (Cancelled e) {
      return refused("501 5.7.0 Authentication cancelled");
    }
  }

  /** The user (after {@code userKey}) and the bearer token of ^A-separated key=value pairs. */
  private static SaslExchange bearer(String response, @Nullable String userKey) {
    String user = null;
    String token = null;
    for (String pair : response.split("\u0001")) {
      if (userKey != null && pair.startsWith(userKey)) {
        user = pair.substring(userKey.length());
      } else if (pair.regionMatches(true, 0, "auth=Bearer ", 0, 12)) {
        token = pair.substring(12).trim();
      }
    }
    if (token == null || token.isEmpty()) {
      return refused("501 5.5.2 No bearer token in the response");
    }
    return new SaslExchange(user, null, token, null);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
  }
}
