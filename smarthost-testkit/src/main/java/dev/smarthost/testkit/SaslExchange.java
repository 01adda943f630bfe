package dev.smarthost.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The server side of AUTH PLAIN and AUTH LOGIN: what the client claims, or the reply refusing it.
 */
final class SaslExchange {
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

  private SaslExchange(@Nullable String user, @Nullable String password, @Nullable String refusal) {
    this.user = user;
    this.password = password;
    this.refusal = refusal;
  }

  private static SaslExchange refused(String reply) {
    return new SaslExchange(null, null, reply);
  }

  /** Runs the exchange for the AUTH command's argument ("PLAIN [response]" or "LOGIN [user]"). */
  static SaslExchange run(String argument, Channel channel) throws IOException {
    String[] parts = argument.split(" ", 2);
    String mechanism = parts[0].toUpperCase(Locale.ROOT);
    try {
      if (mechanism.equals("PLAIN")) {
        // authzid NUL authcid NUL password
        String[] fields =
            decode(parts.length > 1 ? parts[1] : channel.challenge("")).split("\u0000", -1);
        return fields.length == 3
            ? new SaslExchange(fields[1], fields[2], null)
            : refused("501 5.5.2 Malformed PLAIN response");
      }
      if (mechanism.equals("LOGIN")) {
        String user = decode(parts.length > 1 ? parts[1] : channel.challenge("VXNlcm5hbWU6"));
        return new SaslExchange(user, decode(channel.challenge("UGFzc3dvcmQ6")), null);
      }
      return refused("504 5.5.4 Unrecognized authentication mechanism");
    } catch (IllegalArgumentException e) {
      return refused("501 5.5.2 Cannot decode response");
    } catch (Cancelled e) {
      return refused("501 5.7.0 Authentication cancelled");
    }
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64.trim()), StandardCharsets.UTF_8);
  }
}
