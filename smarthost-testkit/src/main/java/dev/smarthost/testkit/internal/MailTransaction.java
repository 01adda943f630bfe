package dev.smarthost.testkit.internal;

import static dev.smarthost.testkit.internal.InboundConnection.address;

import dev.smarthost.testkit.Fault;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * MAIL, RCPT, DATA, RSET and NOOP of one front session, with the step faults in force; an accepted
 * message goes into the {@link MailStore} (GreenMail) and is reported to the front as a {@link
 * Transaction}.
 */
public final class MailTransaction {
  private static final String GO_AHEAD = "354 End data with <CR><LF>.<CR><LF>";
  private static final String TOO_LARGE = "552 5.3.4 Message size exceeds fixed limit";

  private final SmtpFront front;
  private final ActiveFaults faults;
  private final InboundConnection client;
  private @Nullable String sender;
  private final List<String> mailParameters = new ArrayList<>();
  private boolean smtputf8;
  private final List<String> recipients = new ArrayList<>();
  private boolean pipelined;
  private @Nullable String mechanism;
  private @Nullable ByteArrayOutputStream chunks;
  private @Nullable String chunksId;

  MailTransaction(SmtpFront front, ActiveFaults faults, InboundConnection client) {
    this.front = front;
    this.faults = faults;
    this.client = client;
  }

  void mail(String line) throws IOException {
    if (client.act(front.trigger(Fault.Step.MAIL, null))) {
      return;
    }
    if (sender != null) {
      client.reply("503 5.5.1 Nested MAIL command");
      return;
    }
    String from = address(line);
    List<String> parameters = parameters(line);
    boolean utf8 = front.smtputf8() && parameters.stream().anyMatch("SMTPUTF8"::equalsIgnoreCase);
    if (!utf8 && !ascii(from)) {
      client.reply("553 5.6.7 <" + from + ">: non-ASCII address needs SMTPUTF8");
      return;
    }
    for (String p : parameters) {
      if (p.regionMatches(true, 0, "SIZE=", 0, 5)) {
        long declared;
        try {
          declared = Long.parseLong(p.substring(5));
        } catch (NumberFormatException e) {
          client.reply("501 5.5.4 Bad SIZE parameter");
          return;
        }
        if (declared > front.maxMessageSize()) {
          client.reply(TOO_LARGE);
          return;
        }
      }
    }
    sender = from;
    smtputf8 = utf8;
    mailParameters.clear();
    mailParameters.addAll(parameters);
    recipients.clear();
    pipelined = client.hasBufferedInput();
    client.reply("250 2.1.0 Ok");
  }

  /** The MAIL FROM parameters after the closing angle bracket. */
  private static List<String> parameters(String line) {
    int end = line.indexOf('>');
    String rest = end < 0 ? "" : line.substring(end + 1).trim();
    return rest.isEmpty() ? List.of() : List.of(rest.split(" +"));
  }

  private static boolean ascii(String s) {
    return s.chars().allMatch(c -> c < 0x80);
  }

  void rcpt(String line) throws IOException {
    pipelined |= client.hasBufferedInput();
    if (client.act(front.trigger(Fault.Step.RCPT, address(line)))) {
      return;
    }
    if (sender == null) {
      client.reply("503 5.5.1 Need MAIL command");
      return;
    }
    String recipient = address(line);
    if (recipient.isEmpty() || recipient.chars().anyMatch(c -> c <= ' ')) {
      client.reply("501 5.1.3 Bad recipient address syntax");
      return;
    }
    if (!smtputf8 && !ascii(recipient)) {
      client.reply("553 5.6.7 <" + recipient + ">: non-ASCII address needs SMTPUTF8");
      return;
    }
    recipients.add(recipient);
    client.reply("250 2.1.5 Ok");
  }

  /** DATA: the message goes to the store with a Received header naming the session's facts. */
  void data(@Nullable String heloName, @Nullable String authenticatedUser) throws IOException {
    String from = sender;
    if (from == null || heloName == null || recipients.isEmpty()) {
      client.reply("503 5.5.1 MAIL and RCPT first");
      return;
    }
    if (faults.has(Fault.Condition.DATA_NOT_READ)) {
      client.reply(GO_AHEAD);
      stopReading("DATA");
    }
    Optional<Fault> fault = front.trigger(Fault.Step.DATA, null);
    client.reply(GO_AHEAD);
    String id = front.nextId();
    String tls = client.tlsProtocol();
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    message.writeBytes(
        receivedHeader(id, heloName, tls != null, authenticatedUser != null)
            .getBytes(StandardCharsets.UTF_8));
    if (!copyMessage(message)) {
      throw new IOException("client closed during DATA");
    }
    if (fault.isPresent()) {
      client.act(fault); // read and dropped: the store never sees it
      reset();
      return;
    }
    store(id, heloName, from, authenticatedUser, message, false);
  }

  private void stopReading(String command) throws IOException {
    try {
      Thread.sleep(front.idleTimeoutMillis()); // not reading; interrupted when the server closes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    throw new IOException("stopped reading at " + command + ": " + Fault.DATA_NOT_READ);
  }

  /**
   * BDAT (RFC 3030): reads the chunk whatever happens (the client sends it without waiting), then
   * collects it; the LAST chunk stores the message like DATA.
   */
  void bdat(String argument, @Nullable String heloName, @Nullable String authenticatedUser)
      throws IOException {
    String[] parts = argument.trim().split(" +");
    long size;
    try {
      size = Long.parseLong(parts[0]);
    } catch (NumberFormatException e) {
      client.reply("501 5.5.4 BDAT needs a chunk size");
      throw new IOException("BDAT without a size: cannot tell where the chunk ends");
    }
    boolean last = parts.length > 1 && parts[1].equalsIgnoreCase("LAST");
    if (faults.has(Fault.Condition.DATA_NOT_READ)) {
      stopReading("BDAT");
    }
    if (size < 0 || size > front.maxMessageSize()) {
      client.reply(TOO_LARGE);
      throw new IOException("BDAT chunk of " + size + " bytes");
    }
    byte[] chunk = client.readExactly((int) size);
    String from = sender;
    if (!front.chunking()) {
      client.reply("502 5.5.1 CHUNKING is not offered");
      return;
    }
    if (from == null || heloName == null || recipients.isEmpty()) {
      reset();
      client.reply(from == null ? "503 5.5.1 MAIL first" : "554 5.5.1 No valid recipients");
      return;
    }
    ByteArrayOutputStream message = chunks;
    if (message == null) {
      message = new ByteArrayOutputStream();
      chunksId = front.nextId();
      message.writeBytes(
          receivedHeader(
                  chunksId, heloName, client.tlsProtocol() != null, authenticatedUser != null)
              .getBytes(StandardCharsets.UTF_8));
      chunks = message;
    }
    message.writeBytes(chunk);
    if (message.size() > front.maxMessageSize()) {
      // as Exim does: the refusal, then the connection closed under a client that may still be
      // writing chunks
      reset();
      client.reply(TOO_LARGE);
      throw new IOException("the message grew past the size limit in BDAT chunks");
    }
    if (!last) {
      client.reply("250 2.0.0 " + size + " octets received");
      return;
    }
    String id = java.util.Objects.requireNonNull(chunksId);
    Optional<Fault> fault = front.trigger(Fault.Step.DATA, null);
    if (fault.isPresent()) {
      client.act(fault); // read and dropped: the store never sees it
      reset();
      return;
    }
    store(id, heloName, from, authenticatedUser, message, true); // exactly as received
  }

  private void store(
      String id,
      String heloName,
      String from,
      @Nullable String authenticatedUser,
      ByteArrayOutputStream message,
      boolean chunked)
      throws IOException {
    if (message.size() > front.maxMessageSize()) {
      reset();
      client.reply(TOO_LARGE);
      return;
    }
    MimeMessage stored;
    try {
      stored = front.store().parse(message.toByteArray());
      front.store().deliver(stored, recipients);
    } catch (MessagingException e) {
      reset();
      client.reply("451 4.3.0 Cannot store the message: " + e.getMessage());
      return;
    }
    front.accepted(
        new Transaction(
            id,
            heloName,
            from,
            recipients,
            authenticatedUser,
            client.tlsProtocol(),
            stored,
            pipelined,
            chunked,
            mailParameters,
            authenticatedUser == null ? null : mechanism));
    reset();
    client.reply("250 2.0.0 Ok: queued as " + id);
  }

  /** The SASL mechanism the session authenticated with (until STARTTLS starts a new session). */
  void mechanism(@Nullable String mechanism) {
    this.mechanism = mechanism;
  }

  void rset() throws IOException {
    reset();
    client.reply("250 2.0.0 Ok");
  }

  void noop() throws IOException {
    client.reply("250 2.0.0 Ok");
  }

  /** Forgets sender and recipients (after EHLO, STARTTLS, RSET or a finished message). */
  void reset() {
    sender = null;
    smtputf8 = false;
    mailParameters.clear();
    recipients.clear();
    pipelined = false;
    chunks = null;
    chunksId = null;
  }

  /**
   * Copies message lines up to the final dot into {@code target}, each with its CRLF (RFC 5321
   * 4.1.1.4: the CRLF before the final dot ends the last line of the message), with the
   * dot-stuffing removed; false if the client went away.
   */
  private boolean copyMessage(ByteArrayOutputStream target) throws IOException {
    byte[] line;
    while ((line = client.readLine()) != null) {
      if (line.length == 1 && line[0] == '.') {
        return true;
      }
      int from = line.length > 0 && line[0] == '.' ? 1 : 0;
      target.write(line, from, line.length - from);
      target.write('\r');
      target.write('\n');
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
        + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))
        + "\r\n";
  }
}
