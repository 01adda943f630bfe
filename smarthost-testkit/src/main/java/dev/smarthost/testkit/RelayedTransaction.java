package dev.smarthost.testkit;

import static dev.smarthost.testkit.InboundConnection.address;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * MAIL, RCPT, DATA, RSET and NOOP of one front session, relayed to GreenMail with the step faults
 * in force; an accepted message is reported to the front as a {@link Transaction}.
 */
final class RelayedTransaction implements AutoCloseable {
  private static final String GO_AHEAD = "354 End data with <CR><LF>.<CR><LF>";

  private final SmtpFront front;
  private final ActiveFaults faults;
  private final InboundConnection client;
  private final Backend backend;
  private @Nullable String sender;
  private final List<String> recipients = new ArrayList<>();

  RelayedTransaction(SmtpFront front, ActiveFaults faults, InboundConnection client)
      throws IOException {
    this.front = front;
    this.faults = faults;
    this.client = client;
    this.backend = Backend.open(front.backendPort());
  }

  void mail(String line) throws IOException {
    if (client.act(front.trigger(Fault.Step.MAIL, null))) {
      return;
    }
    String answer = backend.command(line);
    if (answer.startsWith("2")) {
      sender = address(line);
      recipients.clear();
    }
    client.reply(answer);
  }

  void rcpt(String line) throws IOException {
    if (client.act(front.trigger(Fault.Step.RCPT, address(line)))) {
      return;
    }
    String answer = backend.command(line);
    if (answer.startsWith("2")) {
      recipients.add(address(line));
    }
    client.reply(answer);
  }

  /** DATA: the message goes to GreenMail with a Received header naming the session's facts. */
  void data(@Nullable String heloName, @Nullable String authenticatedUser) throws IOException {
    String from = sender;
    if (from == null || heloName == null || recipients.isEmpty()) {
      client.reply("503 5.5.1 MAIL and RCPT first");
      return;
    }
    if (faults.has(Fault.Kind.DATA_NOT_READ)) {
      client.reply(GO_AHEAD);
      try {
        Thread.sleep(front.idleTimeoutMillis()); // not reading; interrupted when the server closes
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("stopped reading at DATA: " + Fault.DATA_NOT_READ);
    }
    Optional<Fault> fault = front.trigger(Fault.Step.DATA, null);
    if (fault.isPresent()) {
      client.reply(GO_AHEAD);
      copyMessage(null); // read and dropped: GreenMail never sees it
      if (client.act(fault)) {
        reset();
        backend.command("RSET");
      }
      return;
    }
    String answer = backend.command("DATA");
    client.reply(answer);
    if (!answer.startsWith("354")) {
      return;
    }
    String id = front.nextId();
    String tls = client.tlsProtocol();
    backend.write(
        receivedHeader(id, heloName, tls != null, authenticatedUser != null)
            .getBytes(StandardCharsets.UTF_8));
    if (!copyMessage(backend)) {
      throw new IOException("client closed during DATA");
    }
    String result = backend.readReply();
    if (result.startsWith("2")) {
      front.accepted(new Transaction(id, heloName, from, recipients, authenticatedUser, tls));
    }
    reset();
    client.reply(result);
  }

  void rset() throws IOException {
    reset();
    client.reply(backend.command("RSET"));
  }

  void noop() throws IOException {
    client.reply(backend.command("NOOP"));
  }

  /** Forgets sender and recipients (after EHLO, STARTTLS, RSET or a finished message). */
  void reset() {
    sender = null;
    recipients.clear();
  }

  @Override
  public void close() {
    backend.close();
  }

  /** Copies message lines up to and including the final dot; false if the client went away. */
  private boolean copyMessage(@Nullable Backend target) throws IOException {
    byte[] line;
    while ((line = client.readLine()) != null) {
      if (target != null) {
        target.write(line);
      }
      if (line.length == 1 && line[0] == '.') {
        return true;
      }
    }
    return false;
  }

  private static String receivedHeader(
      String id, String heloName, boolean tls, boolean authenticated) {
    // RFC 3848: ESMTP, S for TLS, A for authenticated.
    String with = "ESMTP" + (tls ? "S" : "") + (authenticated ? "A" : "");
    return "Received: from "
        + heloName
        + " by localhost (smarthost-testkit) with "
        + with
        + " id "
        + id
        + ";\r\n\t"
        + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now());
  }
}
