package dev.smarthost.core.internal;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;

/**
 * Turns what Angus throws into a {@link FailureKind}, from the exception chains measured against a
 * real Postfix (docs/failures.md): walks {@code getCause()} and {@code
 * MessagingException.getNextException()}. Shared by the validator and the mailer.
 */
public final class FailureClassifier {
  private FailureClassifier() {}

  /**
   * Classifies a failure: the one place where a {@link FailureKind} is chosen and, through {@link
   * FailureHints}, a hint written.
   *
   * @param error what Angus threw, or one of ours ({@link DeadlineExceededException}, {@link
   *     UnreadableEntryException}, …)
   * @param context who asks and how far the connection got
   * @return the failure, with a hint when the context has settings (or the provider's fix)
   */
  public static SmtpFailure classify(Throwable error, FailureContext context) {
    List<Throwable> chain = chain(error);
    ConnectionTrace trace = context.trace() != null ? context.trace() : traceIn(chain);
    SmtpFailure f = classifyChain(chain, trace, context);
    if (context.answersTls() && f.kind() == FailureKind.NO_GREETING) {
      f =
          asKind(f, FailureKind.SERVER_EXPECTS_TLS).toBuilder()
              .detail(f.detail() + ", and a TLS handshake on a second connection succeeded")
              .build();
    }
    if (trace != null
        && trace.lastPipelined()
        && (f.kind() == FailureKind.READ_TIMEOUT || f.kind() == FailureKind.PROTOCOL_ERROR)) {
      f = f.toBuilder().hint(FailureHints.PIPELINING).build();
    }
    SmarthostSettings settings = context.settings();
    return settings == null
        ? f
        : FailureHints.withHint(f, settings, context.connectTimeout(), context.phase());
  }

  /**
   * A failure that an earlier attempt had, reported when the send timeout then ended the retries:
   * the earlier reason, not the timeout, is what the administrator can fix.
   */
  public static SmtpFailure endedBySendTimeout(SmtpFailure earlier, Duration sendTimeout) {
    return earlier.toBuilder()
        .detail(
            earlier.detail() + " (then the send timeout of " + sendTimeout + " ended the retries)")
        .build();
  }

  /** The last failure of an outbox entry given up on after {@code maxAge} of temporary ones. */
  public static SmtpFailure gaveUp(SmtpFailure last, Duration maxAge) {
    return last.toBuilder().hint(FailureHints.gaveUp(last, maxAge)).build();
  }

  private static SmtpFailure classifyChain(
      List<Throwable> chain, @Nullable ConnectionTrace trace, FailureContext context) {
    String detail = detail(chain);
    Throwable error = chain.get(0);
    if (error instanceof UnreadableEntryException) {
      return failure(FailureKind.MESSAGE_REJECTED, 0, null, error.getMessage()).toBuilder()
          .hint(FailureHints.UNREADABLE)
          .build();
    }
    if (context.activity() == FailureContext.Activity.DISPATCHING) {
      // The SMTP failures reach the dispatcher classified, inside SmarthostSendException; what it
      // classifies itself is the mailer's own trouble (switched off, busy, a bug): try again later.
      return failure(FailureKind.SERVER_UNAVAILABLE, 0, null, detail).toBuilder()
          .hint(FailureHints.NOT_YET)
          .build();
    }
    for (Throwable t : chain) {
      if (t instanceof DeadlineExceededException d) {
        if (context.activity() == FailureContext.Activity.SENDING) {
          return failure(FailureKind.READ_TIMEOUT, 0, null, t.getMessage()).toBuilder()
              .hint(FailureHints.sendTimeout(d.deadline()))
              .build();
        }
        FailureKind unknown =
            context.resolved() ? FailureKind.CONNECT_TIMEOUT : FailureKind.UNKNOWN_HOST;
        return failure(byProgress(trace, unknown), 0, null, t.getMessage());
      }
      if (t instanceof InterruptedException) {
        FailureKind unknown =
            context.resolved() ? FailureKind.CONNECT_TIMEOUT : FailureKind.UNKNOWN_HOST;
        return failure(byProgress(trace, unknown), 0, null, "interrupted: " + detail);
      }
      if (t instanceof RefusedLocallyException refused) {
        return failure(kind(refused.reason()), 0, null, t.getMessage());
      }
      if (t instanceof AuthNotOfferedException) {
        return failure(FailureKind.AUTH_NOT_OFFERED, 0, null, detail);
      }
      if (t instanceof TokenFailedException token) {
        return failure(FailureKind.OAUTH2_TOKEN_FAILED, 0, null, t.getMessage()).toBuilder()
            .hint(
                token.missingSdk()
                    ? FailureHints.MISSING_OAUTH2_SDK
                    : FailureHints.tokenHint(token.errorCode()))
            .build();
      }
    }
    if (has(chain, UnknownHostException.class)) {
      return failure(FailureKind.UNKNOWN_HOST, 0, null, detail);
    }
    if (has(chain, ConnectException.class) || has(chain, NoRouteToHostException.class)) {
      return failure(
          message(chain).contains("timed out")
              ? FailureKind.CONNECT_TIMEOUT
              : FailureKind.CONNECTION_REFUSED,
          0,
          null,
          detail);
    }
    SmtpFailure tls = tls(chain, detail);
    if (tls != null) {
      return tls;
    }
    // Angus wraps the specific failure (sender, recipient) in a general one: most specific first.
    for (Class<? extends Throwable> type :
        List.of(
            SMTPSenderFailedException.class, SMTPAddressFailedException.class, Throwable.class)) {
      for (Throwable t : chain) {
        SmtpFailure reply = type.isInstance(t) ? reply(t, detail) : null;
        if (reply != null) {
          return reply;
        }
      }
    }
    SocketTimeoutException timeout = first(chain, SocketTimeoutException.class);
    if (timeout != null) {
      boolean connecting =
          String.valueOf(timeout.getMessage()).toLowerCase(Locale.ROOT).contains("connect");
      return failure(
          connecting ? FailureKind.CONNECT_TIMEOUT : byProgress(trace, FailureKind.READ_TIMEOUT),
          0,
          null,
          detail);
    }
    // Angus' write timeout (mail.smtp.writetimeout): the server stopped reading what we send.
    for (Throwable t : chain) {
      if (t instanceof IOException && "Write timed out".equals(t.getMessage())) {
        return failure(FailureKind.READ_TIMEOUT, 0, null, detail);
      }
    }
    String text = message(chain);
    // A bare reply as the message, e.g. "454 4.7.0 TLS not available due to local problem" to
    // STARTTLS, or a 5xx to EHLO and HELO: the server's own words, never "answered unexpectedly"
    // without them.
    for (Throwable t : chain) {
      String reply = trimmed(t.getMessage());
      int code = code(reply);
      if (t instanceof MessagingException && code >= 400 && code < 600) {
        return failure(
            code < 500 ? FailureKind.SERVER_UNAVAILABLE : FailureKind.PROTOCOL_ERROR,
            code,
            reply,
            detail);
      }
    }
    if (trace != null
        && trace.tlsStarted()
        && !trace.greeted()
        && has(chain, java.net.SocketException.class)) {
      return failure(FailureKind.TLS_HANDSHAKE_FAILED, 0, null, detail);
    }
    if (text.contains("STARTTLS is required but host does not support STARTTLS")) {
      return failure(FailureKind.STARTTLS_NOT_OFFERED, 0, null, detail);
    }
    if (text.contains("No authentication mechanisms supported by both server and client")) {
      return failure(FailureKind.AUTH_NOT_OFFERED, 0, null, detail);
    }
    return failure(FailureKind.PROTOCOL_ERROR, 0, null, detail);
  }

  /**
   * A timeout by how far the connection got: not connected, connected without greeting, or in the
   * conversation.
   */
  private static FailureKind byProgress(@Nullable ConnectionTrace trace, FailureKind unknown) {
    if (trace == null) {
      return unknown;
    }
    if (!trace.connected()) {
      return FailureKind.CONNECT_TIMEOUT;
    }
    return trace.greeted() ? FailureKind.READ_TIMEOUT : FailureKind.NO_GREETING;
  }

  private static FailureKind kind(RefusedLocallyException.Reason reason) {
    return switch (reason) {
      case SENDER_ADDRESS -> FailureKind.SENDER_REJECTED;
      case RECIPIENT_ADDRESS -> FailureKind.RECIPIENT_REJECTED;
      case NEEDS_SMTPUTF8 -> FailureKind.SMTPUTF8_NOT_OFFERED;
      case TOO_LARGE -> FailureKind.MESSAGE_TOO_LARGE;
    };
  }

  private static @Nullable ConnectionTrace traceIn(List<Throwable> chain) {
    ConnectFailedException connect = first(chain, ConnectFailedException.class);
    return connect == null ? null : connect.trace();
  }

  private static @Nullable SmtpFailure tls(List<Throwable> chain, String detail) {
    if (has(chain, CertificateExpiredException.class)
        || has(chain, CertificateNotYetValidException.class)) {
      return failure(FailureKind.CERTIFICATE_EXPIRED, 0, null, detail);
    }
    String text = message(chain);
    if (text.contains("No subject alternative") || text.contains("No name matching")) {
      return failure(FailureKind.CERTIFICATE_NAME_MISMATCH, 0, null, detail);
    }
    if (has(chain, CertPathBuilderException.class)
        || text.contains("unable to find valid certification path")
        || text.contains("PKIX path")) {
      return failure(FailureKind.CERTIFICATE_UNTRUSTED, 0, null, detail);
    }
    if (text.contains("Unsupported or unrecognized SSL message")) {
      return failure(FailureKind.SERVER_DOES_NOT_SPEAK_TLS, 0, null, detail);
    }
    if (has(chain, SSLHandshakeException.class)
        || (has(chain, SSLException.class) && !has(chain, SocketTimeoutException.class))) {
      return failure(FailureKind.TLS_HANDSHAKE_FAILED, 0, null, detail);
    }
    return null;
  }

  /** A failure that is an SMTP reply: classify by where it came and its code. */
  private static @Nullable SmtpFailure reply(Throwable t, String detail) {
    if (t instanceof AuthenticationFailedException) {
      if (t.getCause() instanceof SocketTimeoutException) {
        return failure(FailureKind.READ_TIMEOUT, 0, null, detail); // a slow AUTH reply
      }
      String reply = trimmed(t.getMessage());
      int code = code(reply);
      if (code == 0) {
        return null; // not a reply: look further down the chain
      }
      return failure(
          temporary(code) ? FailureKind.SERVER_UNAVAILABLE : FailureKind.AUTHENTICATION_FAILED,
          code,
          reply,
          code == 334 ? detail + xoauth2Error(reply) : detail);
    }
    if (t instanceof SMTPSenderFailedException e) {
      String reply = trimmed(e.getMessage());
      // 552 to MAIL FROM ... SIZE=n: the message is over the server's limit, the sender is fine
      boolean tooBig = e.getReturnCode() == 552 || tooLarge(reply);
      return byCode(
          e.getReturnCode(),
          tooBig ? FailureKind.MESSAGE_TOO_LARGE : FailureKind.SENDER_REJECTED,
          reply,
          detail);
    }
    if (t instanceof SMTPAddressFailedException e) {
      return byCode(
          e.getReturnCode(), FailureKind.RECIPIENT_REJECTED, trimmed(e.getMessage()), detail);
    }
    if (t instanceof SMTPSendFailedException e) {
      String reply = trimmed(e.getMessage());
      // 552 to MAIL FROM, DATA's end or a BDAT chunk, or any 5.3.4: the message's size
      boolean tooBig =
          tooLarge(reply) || (e.getReturnCode() == 552 && !"RCPT".equals(verb(e.getCommand())));
      return byCode(
          e.getReturnCode(),
          tooBig ? FailureKind.MESSAGE_TOO_LARGE : FailureKind.MESSAGE_REJECTED,
          reply,
          detail);
    }
    String message = String.valueOf(t.getMessage());
    int greeting = message.indexOf("Got bad greeting from SMTP host");
    if (greeting >= 0) {
      int at = message.indexOf("response: ");
      String reply = at >= 0 ? trimmed(message.substring(at + 10)) : null;
      int code = code(reply);
      return failure(
          code >= 400 ? FailureKind.SERVER_UNAVAILABLE : FailureKind.PROTOCOL_ERROR,
          code,
          reply,
          detail);
    }
    return null;
  }

  /**
   * A rejected XOAUTH2 login: the server answers 334 with a base64 JSON error (RFC 7628 style), and
   * Angus gives up there; the JSON is the only explanation.
   */
  private static String xoauth2Error(@Nullable String reply) {
    if (reply == null || reply.length() <= 4) {
      return "";
    }
    try {
      String json =
          new String(
              java.util.Base64.getDecoder().decode(reply.substring(4).strip()),
              java.nio.charset.StandardCharsets.UTF_8);
      return " (the server's XOAUTH2 error: " + json.replaceAll("\\p{Cntrl}", " ") + ")";
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** RFC 3463 5.3.4: "message too big for system". */
  private static boolean tooLarge(@Nullable String reply) {
    return reply != null && (reply.contains(" 5.3.4 ") || reply.contains(" 4.3.4 "));
  }

  private static String verb(@Nullable String command) {
    if (command == null) {
      return "";
    }
    int space = command.indexOf(' ');
    int colon = command.indexOf(':');
    int end = space < 0 ? colon : colon < 0 ? space : Math.min(space, colon);
    return (end < 0 ? command : command.substring(0, end)).toUpperCase(Locale.ROOT);
  }

  private static SmtpFailure byCode(
      int code, FailureKind permanent, @Nullable String reply, String detail) {
    if (code == 530) {
      return failure(FailureKind.AUTHENTICATION_REQUIRED, code, reply, detail);
    }
    if (code == 421 || temporary(code)) {
      return failure(FailureKind.SERVER_UNAVAILABLE, code, reply, detail);
    }
    if (code < 0) {
      return failure(FailureKind.PROTOCOL_ERROR, code, reply, detail);
    }
    return failure(permanent, code, reply, detail);
  }

  private static boolean temporary(int code) {
    return code >= 400 && code < 500;
  }

  /** The reply code at the start of a reply, or 0. */
  static int code(@Nullable String reply) {
    if (reply == null || reply.length() < 3) {
      return 0;
    }
    for (int i = 0; i < 3; i++) {
      if (!Character.isDigit(reply.charAt(i))) {
        return 0;
      }
    }
    return Integer.parseInt(reply.substring(0, 3));
  }

  private static @Nullable String trimmed(@Nullable String s) {
    return s == null ? null : joinReply(s);
  }

  /**
   * A reply as one line: the lines of a multi-line reply ({@code 550-5.1.1 a} CRLF {@code 550 5.1.1
   * b}) joined as {@code 550 5.1.1 a b}, each later line without its code and repeated enhanced
   * status.
   */
  static String joinReply(String raw) {
    String[] lines = raw.strip().lines().toArray(String[]::new);
    StringBuilder b = new StringBuilder();
    String status = "";
    for (String line : lines) {
      String l = line.strip();
      if (l.isEmpty()) {
        continue;
      }
      int code = code(l);
      if (b.length() == 0) {
        if (code != 0 && l.length() > 3 && l.charAt(3) == '-') {
          l = l.substring(0, 3) + ' ' + l.substring(4);
        }
        b.append(l);
        String[] words = l.split(" ", 3);
        status =
            words.length > 1 && words[1].matches("[245]\\.\\d{1,3}\\.\\d{1,3}") ? words[1] : "";
        continue;
      }
      String text = code != 0 && l.length() >= 3 ? l.substring(Math.min(4, l.length())) : l;
      if (!status.isEmpty() && text.startsWith(status)) {
        text = text.substring(status.length());
      }
      text = text.strip();
      if (!text.isEmpty()) {
        b.append(' ').append(text);
      }
    }
    return b.toString();
  }

  static List<Throwable> chain(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(error, chain, seen);
    return chain;
  }

  private static void collect(@Nullable Throwable t, List<Throwable> chain, Set<Throwable> seen) {
    while (t != null && seen.add(t)) {
      chain.add(t);
      if (t instanceof MessagingException m) {
        collect(m.getNextException(), chain, seen);
      }
      t = t.getCause();
    }
  }

  private static boolean has(List<Throwable> chain, Class<? extends Throwable> type) {
    return first(chain, type) != null;
  }

  private static <T extends Throwable> @Nullable T first(List<Throwable> chain, Class<T> type) {
    for (Throwable t : chain) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String message(List<Throwable> chain) {
    StringBuilder b = new StringBuilder();
    for (Throwable t : chain) {
      b.append(t.getMessage()).append(" | ");
    }
    return b.toString();
  }

  /** The chain as "Type: message" parts; Angus never puts credentials in these messages. */
  private static String detail(List<Throwable> chain) {
    StringBuilder b = new StringBuilder();
    for (Throwable t : chain) {
      if (b.length() > 0) {
        b.append(" <- ");
      }
      b.append(t.getClass().getSimpleName());
      if (t.getMessage() != null) {
        b.append(": ").append(t.getMessage().strip().replace("\r", "").replace('\n', ' '));
      }
    }
    return b.toString();
  }

  /**
   * A classified failure; when the reply is one a provider documents ({@link ProviderReplies}), its
   * kind is corrected and it carries the provider and the provider's fix as hint.
   */
  private static SmtpFailure failure(
      FailureKind kind, int code, @Nullable String reply, @Nullable String detail) {
    return ProviderReplies.annotate(
        SmtpFailure.builder(kind)
            .reply(code >= 200 && code <= 599 ? code : 0, reply)
            .detail(detail == null ? "" : detail)
            .build());
  }

  /** The same failure as another kind. */
  static SmtpFailure asKind(SmtpFailure f, FailureKind kind) {
    return SmtpFailure.builder(kind)
        .reply(f.replyCode().orElse(0), f.reply().orElse(null))
        .hint(f.hint())
        .detail(f.detail())
        .provider(f.provider().orElse(null))
        .build();
  }
}
