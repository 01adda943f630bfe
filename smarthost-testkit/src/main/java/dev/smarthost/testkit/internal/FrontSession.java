package dev.smarthost.testkit.internal;

import static dev.smarthost.testkit.internal.InboundConnection.argument;
import static dev.smarthost.testkit.internal.InboundConnection.text;
import static dev.smarthost.testkit.internal.InboundConnection.verb;

import dev.smarthost.Encryption;
import dev.smarthost.testkit.Fault;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One client connection: the front answers greeting, EHLO, STARTTLS and AUTH itself (with the
 * faults in force), and MAIL, RCPT, DATA, RSET and NOOP through a {@link MailTransaction}, which
 * stores accepted messages in GreenMail.
 */
public final class FrontSession implements Runnable {
  private final SmtpFront front;
  private final ActiveFaults faults;
  private final Socket plain;
  private final InboundConnection client;
  private @Nullable MailTransaction relay;
  private @Nullable String heloName;
  private @Nullable String authenticatedUser;

  private final boolean refuse;

  FrontSession(SmtpFront front, Socket socket, ActiveFaults faults, boolean refuse)
      throws IOException {
    this.front = front;
    this.plain = socket;
    this.faults = faults;
    this.refuse = refuse;
    this.client = new InboundConnection(socket);
  }

  @Override
  public void run() {
    try {
      plain.setSoTimeout(front.idleTimeoutMillis());
      if (front.encryption() == Encryption.TLS) {
        client.startTls(front.tlsContext(faults.certificate().orElse(null)));
      }
      if (refuse) {
        client.reply("421 4.7.0 localhost Error: too many connections; try again later");
        return;
      }
      if (!greet()) {
        return;
      }
      relay = new MailTransaction(front, faults, client);
      converse();
    } catch (IOException | RuntimeException e) {
      // The client went away, the TLS handshake failed (the fault tests want exactly that), or it
      // idled out: this connection ends; the server goes on.
    } finally {
      front.closed(plain);
    }
  }

  private boolean greet() throws IOException {
    Optional<java.time.Duration> delay = faults.greetingDelay();
    if (delay.isPresent()) {
      try {
        Thread.sleep(delay.get().toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    if (faults.has(Fault.Condition.NO_GREETING)) {
      client.swallowInput(); // until the client gives up or the idle timeout fires
      return false;
    }
    Optional<String> rejection = faults.at(Fault.Step.CONNECT).flatMap(FaultRules::reply);
    if (rejection.isPresent()) {
      client.reply(rejection.get());
      byte[] line;
      while ((line = client.readLine()) != null) {
        if (verb(text(line)).equals("QUIT")) {
          client.reply("221 2.0.0 Bye");
          return false;
        }
        client.reply("503 5.5.1 Bad sequence of commands");
      }
      return false;
    }
    client.reply("220 localhost ESMTP smarthost-testkit");
    return true;
  }

  private void converse() throws IOException {
    byte[] raw;
    while ((raw = client.readLine()) != null) {
      String line = text(raw);
      String verb = verb(line);
      switch (verb) {
        case "EHLO", "HELO" -> {
          if (!hello(verb, argument(line))) {
            return;
          }
        }
        case "STARTTLS" -> starttls();
        case "AUTH" -> auth(argument(line));
        case "MAIL" -> mail(line);
        case "RCPT" -> relay().rcpt(line);
        case "DATA" -> relay().data(heloName, authenticatedUser);
        case "BDAT" -> relay().bdat(argument(line), heloName, authenticatedUser);
        case "RSET" -> relay().rset();
        case "NOOP" -> relay().noop();
        case "QUIT" -> {
          client.reply("221 2.0.0 Bye");
          return;
        }
        case "VRFY", "EXPN", "HELP" -> client.reply("502 5.5.1 Command not implemented");
        default -> client.reply("500 5.5.2 Command unrecognized");
      }
    }
  }

  private boolean hello(String verb, String name) throws IOException {
    if (client.act(faults.at(Fault.Step.EHLO))) {
      return true;
    }
    if (name.isEmpty()) {
      client.reply("501 5.5.4 " + verb + " needs a domain");
      return true;
    }
    heloName = name;
    relay().reset();
    if (verb.equals("HELO")) {
      client.reply("250 localhost");
    } else {
      List<String> lines = new ArrayList<>();
      lines.add("localhost greets " + name);
      lines.add("8BITMIME");
      lines.add("SIZE " + front.advertisedSize());
      if (front.pipelining()) {
        lines.add("PIPELINING");
      }
      if (front.chunking()) {
        lines.add("CHUNKING");
      }
      if (front.smtputf8()) {
        lines.add("SMTPUTF8");
      }
      if (starttlsOffered()) {
        lines.add("STARTTLS");
      }
      if (authOffered()) {
        lines.add(
            "AUTH"
                + (front.password() != null ? " PLAIN LOGIN" : "")
                + (front.tokenVerifier() != null ? " XOAUTH2 OAUTHBEARER" : ""));
      }
      for (int i = 0; i < lines.size(); i++) {
        client.write("250" + (i < lines.size() - 1 ? "-" : " ") + lines.get(i));
      }
      client.flush();
    }
    return !faults.has(Fault.Condition.DROP_AFTER_EHLO);
  }

  private boolean starttlsOffered() {
    return front.encryption() == Encryption.STARTTLS
        && client.tlsProtocol() == null
        && !faults.has(Fault.Condition.NO_STARTTLS_OFFERED);
  }

  /** AUTH is offered when required, and, like Postfix' smtpd_tls_auth_only, not before STARTTLS. */
  private boolean authOffered() {
    return front.username() != null
        && !faults.has(Fault.Condition.NO_AUTH_OFFERED)
        && (front.encryption() != Encryption.STARTTLS || client.tlsProtocol() != null);
  }

  private void starttls() throws IOException {
    if (!starttlsOffered()) {
      client.reply(
          client.tlsProtocol() != null
              ? "503 5.5.1 TLS already active"
              : "502 5.5.1 STARTTLS not supported");
      return;
    }
    client.reply("220 2.0.0 Ready to start TLS");
    client.startTls(front.tlsContext(faults.certificate().orElse(null)));
    heloName = null;
    authenticatedUser = null;
    relay().reset();
    relay().mechanism(null);
  }

  private void auth(String argument) throws IOException {
    if (heloName == null) {
      client.reply("503 5.5.1 EHLO first");
      return;
    }
    if (front.username() == null || faults.has(Fault.Condition.NO_AUTH_OFFERED)) {
      client.reply("502 5.5.1 AUTH not supported");
      return;
    }
    if (!authOffered()) {
      client.reply("538 5.7.11 Encryption required for requested authentication mechanism");
      return;
    }
    if (authenticatedUser != null) {
      client.reply("503 5.5.1 Already authenticated");
      return;
    }
    if (client.act(front.trigger(Fault.Step.AUTH, null))) {
      return;
    }
    SaslExchange exchange =
        SaslExchange.run(
            argument, this::challenge, front.password() != null, front.tokenVerifier() != null);
    if (exchange.refusal != null) {
      client.reply(exchange.refusal);
      return;
    }
    String user = exchange.user;
    if (exchange.token != null) {
      oauth2(user, exchange.token);
      return;
    }
    String username = front.username();
    String password = front.password();
    if (username != null
        && username.equals(user)
        && password != null
        && password.equals(exchange.password)) {
      authenticatedUser = user;
      relay().mechanism(mechanism(argument));
      client.reply("235 2.7.0 Authentication successful");
    } else {
      client.reply("535 5.7.8 Authentication credentials invalid");
    }
  }

  private static String mechanism(String argument) {
    return argument.strip().split(" ", 2)[0].toUpperCase(java.util.Locale.ROOT);
  }

  private void oauth2(@Nullable String user, String token) throws IOException {
    java.util.function.Predicate<String> verifier = front.tokenVerifier();
    boolean accepted;
    try {
      String username = front.username();
      accepted =
          username != null && username.equals(user) && verifier != null && verifier.test(token);
    } catch (RuntimeException e) {
      accepted = false;
    }
    if (accepted) {
      authenticatedUser = user;
      relay().mechanism("XOAUTH2/OAUTHBEARER");
      client.reply("235 2.7.0 Authentication successful");
      return;
    }
    // As Gmail and Dovecot do: the error as a base64 JSON challenge, then 535 after the client's
    // (empty) answer.
    try {
      challenge(SaslExchange.OAUTH2_ERROR);
    } catch (SaslExchange.Cancelled e) {
      // an answer of "*" ends it the same way
    }
    client.reply("535 5.7.8 Authentication credentials invalid");
  }

  private String challenge(String base64) throws IOException {
    client.reply("334 " + base64);
    byte[] line = client.readLine();
    if (line == null) {
      throw new IOException("client closed during AUTH");
    }
    String response = text(line);
    if (response.equals("*")) {
      throw new SaslExchange.Cancelled();
    }
    return response;
  }

  private void mail(String line) throws IOException {
    if (heloName == null) {
      client.reply("503 5.5.1 EHLO first");
      return;
    }
    if (front.username() != null && authenticatedUser == null) {
      client.reply("530 5.7.0 Authentication required");
      return;
    }
    relay().mail(line);
  }

  private MailTransaction relay() {
    if (relay == null) {
      throw new IllegalStateException("no transaction before the greeting");
    }
    return relay;
  }
}
