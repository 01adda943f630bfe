package dev.smarthost.testkit;

import dev.smarthost.Encryption;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * One client connection: the front answers greeting, EHLO, STARTTLS and AUTH itself (with the
 * faults in force) and relays MAIL, RCPT, DATA, RSET and NOOP to GreenMail.
 */
final class FrontSession implements Runnable {
  private final SmtpFront front;
  private final ActiveFaults faults;
  private final Socket plain;
  private Socket socket;
  private LineReader in;
  private OutputStream out;
  private @Nullable Backend backend;
  private @Nullable String tlsProtocol;
  private @Nullable String heloName;
  private @Nullable String authenticatedUser;
  private @Nullable String sender;
  private final List<String> recipients = new ArrayList<>();

  FrontSession(SmtpFront front, Socket socket, ActiveFaults faults) throws IOException {
    this.front = front;
    this.plain = socket;
    this.socket = socket;
    this.faults = faults;
    this.in = new LineReader(new BufferedInputStream(socket.getInputStream()));
    this.out = new BufferedOutputStream(socket.getOutputStream());
  }

  @Override
  public void run() {
    try {
      socket.setSoTimeout(front.idleTimeoutMillis());
      if (front.encryption() == Encryption.TLS) {
        startTls();
      }
      if (!greet()) {
        return;
      }
      backend = Backend.open(front.backendPort());
      converse();
    } catch (IOException | RuntimeException e) {
      // The client went away, the TLS handshake failed (the fault tests want exactly that), or it
      // idled out: this connection ends; the server goes on.
    } finally {
      if (backend != null) {
        backend.close();
      }
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
    if (faults.has(Fault.Kind.NO_GREETING)) {
      while (in.readLine() != null) {
        // swallow whatever the client says until it gives up or the idle timeout fires
      }
      return false;
    }
    Optional<String> rejection = faults.at(Fault.Step.CONNECT).flatMap(Fault::reply);
    if (rejection.isPresent()) {
      reply(rejection.get());
      byte[] line;
      while ((line = in.readLine()) != null) {
        if (verb(text(line)).equals("QUIT")) {
          reply("221 2.0.0 Bye");
          return false;
        }
        reply("503 5.5.1 Bad sequence of commands");
      }
      return false;
    }
    reply("220 localhost ESMTP smarthost-testkit");
    return true;
  }

  private void converse() throws IOException {
    byte[] raw;
    while ((raw = in.readLine()) != null) {
      String line = text(raw);
      String verb = verb(line);
      switch (verb) {
        case "EHLO":
        case "HELO":
          if (!hello(verb, argument(line))) {
            return;
          }
          break;
        case "STARTTLS":
          starttls();
          break;
        case "AUTH":
          auth(argument(line));
          break;
        case "MAIL":
          mail(line);
          break;
        case "RCPT":
          rcpt(line);
          break;
        case "DATA":
          data();
          break;
        case "RSET":
          reset();
          reply(backend().command("RSET"));
          break;
        case "NOOP":
          reply(backend().command("NOOP"));
          break;
        case "QUIT":
          reply("221 2.0.0 Bye");
          return;
        case "VRFY":
        case "EXPN":
        case "HELP":
          reply("502 5.5.1 Command not implemented");
          break;
        default:
          reply("500 5.5.2 Command unrecognized");
      }
    }
  }

  private boolean hello(String verb, String name) throws IOException {
    if (act(faults.at(Fault.Step.EHLO))) {
      return true;
    }
    if (name.isEmpty()) {
      reply("501 5.5.4 " + verb + " needs a domain");
      return true;
    }
    heloName = name;
    reset();
    if (verb.equals("HELO")) {
      reply("250 localhost");
    } else {
      List<String> lines = new ArrayList<>();
      lines.add("localhost greets " + name);
      lines.add("8BITMIME");
      lines.add("SIZE 33554432");
      if (starttlsOffered()) {
        lines.add("STARTTLS");
      }
      if (authOffered()) {
        lines.add("AUTH PLAIN LOGIN");
      }
      for (int i = 0; i < lines.size(); i++) {
        write("250" + (i < lines.size() - 1 ? "-" : " ") + lines.get(i));
      }
      out.flush();
    }
    return !faults.has(Fault.Kind.DROP_AFTER_EHLO);
  }

  private boolean starttlsOffered() {
    return front.encryption() == Encryption.STARTTLS
        && tlsProtocol == null
        && !faults.has(Fault.Kind.NO_STARTTLS_OFFERED);
  }

  /** AUTH is offered when required, and, like Postfix' smtpd_tls_auth_only, not before STARTTLS. */
  private boolean authOffered() {
    return front.username() != null
        && !faults.has(Fault.Kind.NO_AUTH_OFFERED)
        && (front.encryption() != Encryption.STARTTLS || tlsProtocol != null);
  }

  private void starttls() throws IOException {
    if (!starttlsOffered()) {
      reply(
          tlsProtocol != null
              ? "503 5.5.1 TLS already active"
              : "502 5.5.1 STARTTLS not supported");
      return;
    }
    reply("220 2.0.0 Ready to start TLS");
    startTls();
    heloName = null;
    authenticatedUser = null;
    reset();
  }

  private void startTls() throws IOException {
    SSLSocket tls =
        (SSLSocket)
            front
                .tlsContext(faults.certificate().orElse(null))
                .getSocketFactory()
                .createSocket(socket, null, socket.getPort(), true);
    tls.setUseClientMode(false);
    tls.startHandshake();
    socket = tls;
    tlsProtocol = tls.getSession().getProtocol();
    in = new LineReader(new BufferedInputStream(tls.getInputStream()));
    out = new BufferedOutputStream(tls.getOutputStream());
  }

  private void auth(String argument) throws IOException {
    if (heloName == null) {
      reply("503 5.5.1 EHLO first");
      return;
    }
    if (front.username() == null || faults.has(Fault.Kind.NO_AUTH_OFFERED)) {
      reply("502 5.5.1 AUTH not supported");
      return;
    }
    if (!authOffered()) {
      reply("538 5.7.11 Encryption required for requested authentication mechanism");
      return;
    }
    if (authenticatedUser != null) {
      reply("503 5.5.1 Already authenticated");
      return;
    }
    if (act(front.trigger(Fault.Step.AUTH, null))) {
      return;
    }
    SaslExchange exchange = SaslExchange.run(argument, this::challenge);
    if (exchange.refusal != null) {
      reply(exchange.refusal);
      return;
    }
    String user = exchange.user;
    if (front.username().equals(user) && front.password().equals(exchange.password)) {
      authenticatedUser = user;
      reply("235 2.7.0 Authentication successful");
    } else {
      reply("535 5.7.8 Authentication credentials invalid");
    }
  }

  /**
   * Applies a step fault: a reject answers the command (true); a stall swallows input until the
   * client gives up; a drop hangs up. Both of the latter end the session with an exception.
   */
  private boolean act(Optional<Fault> fault) throws IOException {
    if (fault.isEmpty()) {
      return false;
    }
    switch (fault.get().kind()) {
      case REJECT:
        reply(fault.get().reply().orElseThrow());
        return true;
      case STALL:
        while (in.readLine() != null) {
          // silent on purpose
        }
        throw new IOException("stalled until the client left: " + fault.get());
      case DROP:
        throw new IOException("dropped the connection: " + fault.get());
      default:
        return false;
    }
  }

  private String challenge(String base64) throws IOException {
    reply("334 " + base64);
    byte[] line = in.readLine();
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
      reply("503 5.5.1 EHLO first");
      return;
    }
    if (front.username() != null && authenticatedUser == null) {
      reply("530 5.7.0 Authentication required");
      return;
    }
    if (act(front.trigger(Fault.Step.MAIL, null))) {
      return;
    }
    String answer = backend().command(line);
    if (answer.startsWith("2")) {
      sender = address(line);
      recipients.clear();
    }
    reply(answer);
  }

  private void rcpt(String line) throws IOException {
    if (act(front.trigger(Fault.Step.RCPT, address(line)))) {
      return;
    }
    String answer = backend().command(line);
    if (answer.startsWith("2")) {
      recipients.add(address(line));
    }
    reply(answer);
  }

  private void data() throws IOException {
    if (sender == null || recipients.isEmpty()) {
      reply("503 5.5.1 MAIL and RCPT first");
      return;
    }
    if (faults.has(Fault.Kind.DATA_NOT_READ)) {
      reply("354 End data with <CR><LF>.<CR><LF>");
      try {
        Thread.sleep(front.idleTimeoutMillis()); // not reading; interrupted when the server closes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("stopped reading at DATA: " + Fault.DATA_NOT_READ);
    }
    Optional<Fault> fault = front.trigger(Fault.Step.DATA, null);
    if (fault.isPresent()) {
      reply("354 End data with <CR><LF>.<CR><LF>");
      readMessage(null); // read and dropped: GreenMail never sees it
      if (act(fault)) {
        reset();
        backend().command("RSET");
      }
      return;
    }
    String answer = backend().command("DATA");
    if (!answer.startsWith("354")) {
      reply(answer);
      return;
    }
    reply(answer);
    String id = front.nextId();
    backend().write(receivedHeader(id).getBytes(StandardCharsets.UTF_8));
    if (!readMessage(backend())) {
      throw new IOException("client closed during DATA");
    }
    String result = backend().readReply();
    if (result.startsWith("2")) {
      front.accepted(
          new Transaction(id, heloName, sender, recipients, authenticatedUser, tlsProtocol));
    }
    reset();
    reply(result);
  }

  /** Copies message lines up to and including the final dot; false if the client went away. */
  private boolean readMessage(@Nullable Backend target) throws IOException {
    byte[] line;
    while ((line = in.readLine()) != null) {
      if (target != null) {
        target.write(line);
      }
      if (line.length == 1 && line[0] == '.') {
        return true;
      }
    }
    return false;
  }

  private String receivedHeader(String id) {
    // RFC 3848: ESMTP, S for TLS, A for authenticated.
    String with =
        "ESMTP" + (tlsProtocol != null ? "S" : "") + (authenticatedUser != null ? "A" : "");
    return "Received: from "
        + heloName
        + " by localhost (smarthost-testkit) with "
        + with
        + " id "
        + id
        + ";\r\n\t"
        + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now());
  }

  private void reset() {
    sender = null;
    recipients.clear();
  }

  private Backend backend() {
    if (backend == null) {
      throw new IllegalStateException("no backend");
    }
    return backend;
  }

  private void reply(String reply) throws IOException {
    write(reply);
    out.flush();
  }

  private void write(String line) throws IOException {
    out.write(line.getBytes(StandardCharsets.UTF_8));
    out.write('\r');
    out.write('\n');
  }

  private static String text(byte[] line) {
    return new String(line, StandardCharsets.UTF_8);
  }

  private static String verb(String line) {
    int space = line.indexOf(' ');
    return (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
  }

  private static String argument(String line) {
    int space = line.indexOf(' ');
    return space < 0 ? "" : line.substring(space + 1).trim();
  }

  /** The address between the angle brackets of MAIL FROM:&lt;…&gt; or RCPT TO:&lt;…&gt;. */
  private static String address(String line) {
    int start = line.indexOf('<');
    int end = line.indexOf('>', start + 1);
    if (start >= 0 && end > start) {
      return line.substring(start + 1, end);
    }
    int colon = line.indexOf(':');
    return colon < 0 ? "" : line.substring(colon + 1).trim();
  }
}
