package dev.smarthost.core.internal;

import dev.smarthost.Authentication;
import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** One sentence per failure kind that an administrator can act on. Never mentions credentials. */
final class FailureHints {
  private FailureHints() {}

  static final String PIPELINING =
      "The server stopped answering, or hung up, in the middle of a pipelined message. If it keeps"
          + " doing so, it may offer PIPELINING without handling it: switch it off with"
          + " SmtpOptions.builder().pipelining(false) (Spring: smarthost.pipelining=false).";

  static final String MISSING_OAUTH2_SDK =
      "The OAuth 2.0 client is missing: add the dependency com.nimbusds:oauth2-oidc-sdk to the"
          + " application (smarthost-core has it as optional; the CLI and the Spring Boot starter"
          + " bring it), or give SmtpOptions.builder().tokenSource(…) a source of your own.";

  static final String UNREADABLE = "The stored message cannot be read back; it was never sent.";

  static final String NOT_YET = "Not delivered yet; tried again later.";

  static String gaveUp(SmtpFailure last, Duration maxAge) {
    return "Given up after "
        + maxAge
        + " of temporary failures (the last: "
        + last.kind()
        + "); "
        + last.hint();
  }

  static String sendTimeout(Duration sendTimeout) {
    return "the server answered too slowly to finish within the send timeout of "
        + sendTimeout
        + "; check the server's load, or raise sendTimeout";
  }

  /**
   * The failure with the hint for its kind, unless it already has one (a provider's fix from {@link
   * ProviderReplies}).
   */
  static SmtpFailure withHint(
      SmtpFailure failure, SmarthostSettings settings, Duration connectTimeout, String phase) {
    if (settings.authentication() == Authentication.OAUTH2
        && (failure.kind() == FailureKind.AUTHENTICATION_FAILED
            || failure.kind() == FailureKind.AUTH_NOT_OFFERED)) {
      return failure.toBuilder().hint(oauth2LoginHint(failure, settings)).build();
    }
    if (!failure.hint().isEmpty()) {
      return failure;
    }
    if (failure.kind() == FailureKind.PROTOCOL_ERROR && failure.replyCode().isPresent()) {
      return failure.toBuilder()
          .hint(
              "The server refused to go on during "
                  + phase
                  + " (see its reply): it may not accept this client's address or EHLO name;"
                  + " its log says why.")
          .build();
    }
    return failure.toBuilder().hint(hint(failure.kind(), settings, connectTimeout, phase)).build();
  }

  /**
   * What to do when the token endpoint gave no token, by its OAuth error code (null: no answer).
   */
  static String tokenHint(@Nullable String errorCode) {
    if (errorCode == null) {
      return "The token endpoint could not be reached or gave no token: check the token URL and that"
          + " this host can reach it over HTTPS (proxy, firewall).";
    }
    return switch (errorCode) {
      case "invalid_client" ->
          "The token endpoint does not accept this client id and secret: check both; client"
              + " secrets expire (Microsoft Entra ID: create a new one under Certificates & secrets).";
      case "unauthorized_client" ->
          "This client may not get tokens with the client-credentials grant: give the app an"
              + " application permission (Microsoft 365: SMTP.SendAsApp) and grant admin consent.";
      case "invalid_scope" ->
          "The token endpoint refused the scope: Microsoft 365 needs "
              + "https://outlook.office365.com/.default, Gmail https://mail.google.com/.";
      case "invalid_request" ->
          "The token endpoint refused the request: check the token URL and the tenant (Microsoft"
              + " 365: https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token).";
      default ->
          "The token endpoint refused to issue a token ("
              + errorCode
              + "): see the detail for its explanation.";
    };
  }

  private static String oauth2LoginHint(SmtpFailure failure, SmarthostSettings settings) {
    if (failure.kind() == FailureKind.AUTH_NOT_OFFERED) {
      return "The server offers no XOAUTH2 login here: use OAuth 2.0 with a server that supports it"
          + " (Microsoft 365, Gmail) on its submission port, or log in with a password.";
    }
    boolean microsoft =
        failure.provider().map(p -> p.startsWith("Microsoft")).orElse(false)
            || settings.host().endsWith(".office365.com")
            || settings.host().endsWith(".outlook.com");
    String user = settings.username().orElse("");
    if (microsoft) {
      return "Exchange Online rejected the access token: the app registration needs the"
          + " SMTP.SendAsApp application permission with admin consent, a service principal in"
          + " Exchange Online (New-ServicePrincipal), permission on the mailbox "
          + user
          + " (Add-MailboxPermission), and SMTP AUTH enabled for that mailbox.";
    }
    return "The server rejected the access token for "
        + user
        + ": check that the scope is the one this mail server expects and that the client may send"
        + " as this mailbox.";
  }

  static String hint(
      FailureKind kind, SmarthostSettings settings, Duration connectTimeout, String phase) {
    String host = settings.host();
    int port = settings.port();
    switch (kind) {
      case UNKNOWN_HOST:
        return "The host name "
            + host
            + " does not resolve: check the spelling, or use the server's IP address.";
      case CONNECTION_REFUSED:
        return "Nothing listens on "
            + settings.authority()
            + ": check the port (587 for STARTTLS, 465 for TLS, 25 for relay) and that the server runs.";
      case CONNECT_TIMEOUT:
        return settings.authority()
            + " did not accept a connection within "
            + connectTimeout.toSeconds()
            + " s: a firewall may drop the traffic, or the address is wrong.";
      case NO_GREETING:
        return "The server accepted the connection but sent no greeting: check the port and the encryption.";
      case SERVER_EXPECTS_TLS:
        return "Port " + port + " expects implicit TLS: choose encryption TLS.";
      case SERVER_DOES_NOT_SPEAK_TLS:
        return "Port "
            + port
            + " answers in clear text, not implicit TLS: choose encryption STARTTLS"
            + (port == 25 ? " or none." : ".");
      case TLS_HANDSHAKE_FAILED:
        return "The TLS handshake failed: the server may only support protocols or ciphers this client"
            + " does not allow (see the detail).";
      case CERTIFICATE_UNTRUSTED:
        return "The server's certificate is not signed by a trusted authority: install a publicly trusted"
            + " certificate, add its CA to the trust store, or switch off \"verify TLS certificate\".";
      case CERTIFICATE_EXPIRED:
        return "The server's certificate has expired (or is not valid yet): renew it on the server.";
      case CERTIFICATE_NAME_MISMATCH:
        return "The server's certificate is not issued for "
            + host
            + ": use the host name the certificate names, or switch off \"verify TLS certificate\".";
      case STARTTLS_NOT_OFFERED:
        return "The server does not offer STARTTLS: choose encryption TLS if port "
            + port
            + " is an SMTPS port, or none only on a trusted network.";
      case ENCRYPTION_REQUIRED:
        return "The server requires TLS before it goes on: choose encryption STARTTLS (or TLS on an"
            + " implicit-TLS port such as 465).";
      case AUTH_NOT_OFFERED:
        return settings.encryption() == Encryption.NONE
            ? "The server offers no authentication on this connection: remove the username and password,"
                + " or use the submission port 587 with STARTTLS."
            : "The server offers no authentication here: remove the username and password, or use the"
                + " server's submission port.";
      case OAUTH2_TOKEN_FAILED:
        return tokenHint(null);
      case AUTHENTICATION_FAILED:
        return "The server rejected the username or password: check both (passwords are case-sensitive).";
      case AUTHENTICATION_REQUIRED:
        return "The server requires authentication: enter a username and password.";
      case SENDER_REJECTED:
        return "The server refused the sender address: use an address this account may send as.";
      case RECIPIENT_REJECTED:
        return "The server refused the recipient (often \"relay access denied\"): authenticate, or allow"
            + " this host to relay.";
      case MESSAGE_REJECTED:
        return "The server refused the message after receiving it: check its size limit and content filters.";
      case MESSAGE_TOO_LARGE:
        return "The message is larger than the server accepts: make it smaller (link to large files"
            + " instead of attaching them), or raise the server's size limit.";
      case SMTPUTF8_NOT_OFFERED:
        return "An address is not ASCII and the server does not offer SMTPUTF8: use a server with"
            + " SMTPUTF8 (Postfix: smtputf8_enable = yes), or an ASCII address.";
      case SERVER_UNAVAILABLE:
        return "The server is temporarily unavailable: try again later.";
      case READ_TIMEOUT:
        return "The server stopped answering during "
            + phase
            + ": it may be overloaded, or a firewall"
            + " interferes.";
      case PROTOCOL_ERROR:
      default:
        return "The server closed the connection or answered unexpectedly: check that "
            + settings.authority()
            + " is an SMTP server.";
    }
  }
}
