package dev.smarthost.core.internal;

import dev.smarthost.core.session.ValidationPhase;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.event.TransportEvent;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPMessage;
import org.eclipse.angus.mail.smtp.SMTPOutputStream;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.jspecify.annotations.Nullable;

/**
 * One message over an open {@link SmarthostTransport} connection with the round trips that RFC 2920
 * PIPELINING and RFC 3030 CHUNKING save: MAIL FROM, every RCPT TO and the message command go out in
 * one write and the replies are read after, in order; with CHUNKING a message of up to {@link
 * #CHUNK_BYTES} travels in the same write as {@code BDAT n LAST}, so the whole transaction is one
 * round trip.
 *
 * <p>Angus keeps the connection, TLS, AUTH, MIME and the reading of replies. This class writes the
 * commands itself because Angus flushes after every command and reads its reply at once, and
 * because Angus' own BDAT dot-stuffs the message (angus-mail issue 209) and waits after every
 * chunk. The outcome is reported exactly as Angus' {@code sendMessage} reports it (the same
 * exceptions, address arrays, reply codes and transport events), so a caller sees no difference but
 * the time.
 *
 * <p>The message goes with the envelope only when a refused recipient cannot change what Angus
 * would do ({@code sendpartial}, or one recipient): a server refuses the message command when no
 * recipient was accepted, and with DATA the body is then never sent. A message larger than one
 * chunk waits for the envelope's replies, so a refused sender costs no upload.
 */
final class PipelinedTransaction {
  /**
   * The size of a BDAT chunk, and the largest message sent together with its envelope: 256 KiB, so
   * that a notification with a typical attachment is one round trip (measured against 16 KiB to 1
   * MiB: benchmarks/RESULTS.md, issue 22). The system property is how the benchmark compares sizes,
   * not a setting.
   */
  static final int CHUNK_BYTES =
      Math.max(1024, Integer.getInteger("dev.smarthost.internal.bdatChunkBytes", 256 * 1024));

  private static final String[] IGNORE_HEADERS = {"Bcc", "Content-Length"};
  static final int OK = 250;
  private static final int GO_AHEAD = 354;

  final SmarthostTransport transport;
  private final MimeMessage message;
  private final InternetAddress[] recipients;
  final boolean pipelining;
  private final boolean chunking;
  final boolean sendPartial;
  private final boolean utf8;
  private final String sender;
  private final List<String> wireRecipients;
  private final long sizeLimit;
  final CommandWriter out;
  private final long start = System.nanoTime();
  private long envelopeRead;

  /** A reply that leaves the conversation in an unknown state (EOF, no code): close, no RSET. */
  boolean outOfStep;

  /** The server's refusal, already ended with RSET, thrown as it is. */
  private @Nullable MessagingException refusal;

  /** The serialized message, once its size was needed for the server's SIZE limit. */
  private byte @Nullable [] serialized;

  private PipelinedTransaction(
      SmarthostTransport transport,
      MimeMessage message,
      String sender,
      InternetAddress[] recipients,
      boolean pipelining,
      boolean chunking,
      boolean needsUtf8,
      long sizeLimit,
      OutputStream wire) {
    Session session = transport.session();
    this.transport = transport;
    this.message = message;
    this.sender = sender;
    this.recipients = recipients;
    this.pipelining = pipelining;
    this.chunking = chunking;
    this.sizeLimit = sizeLimit;
    this.sendPartial = Boolean.parseBoolean(session.getProperty("mail.smtp.sendpartial"));
    this.utf8 =
        (needsUtf8 || Boolean.parseBoolean(session.getProperty("mail.mime.allowutf8")))
            && transport.supportsExtension("SMTPUTF8");
    this.wireRecipients = new ArrayList<>(recipients.length);
    for (InternetAddress r : recipients) {
      wireRecipients.add(r.getAddress());
    }
    this.out = new CommandWriter(wire, transport, utf8);
  }

  /**
   * Returns the transaction for this message, or null where Angus' own command-by-command
   * conversation may run: the server offers neither extension (or they are switched off), no size
   * limit and every address is ASCII; or the message needs what only Angus does ({@code
   * SMTPMessage} settings, group addresses, 8BITMIME conversion, success reports).
   *
   * @throws RefusedLocallyException if an address has a control character, or is not ASCII where
   *     only Angus could send the message
   */
  static @Nullable PipelinedTransaction prepare(
      SmarthostTransport transport, Message message, Address @Nullable [] addresses)
      throws MessagingException {
    Session session = transport.session();
    String sender = EnvelopeRules.sender(session, message);
    EnvelopeRules.checkControls(sender, addresses);
    boolean needsUtf8 = EnvelopeRules.needsUtf8(sender, addresses);
    long sizeLimit = sizeLimit(transport);
    TransportConfig config = transport.config();
    boolean pipelining = config.pipelining() && transport.supportsExtension("PIPELINING");
    boolean chunking = config.chunking() && transport.supportsExtension("CHUNKING");
    boolean angusOnly =
        !(message instanceof MimeMessage)
            || message instanceof SMTPMessage
            || addresses == null
            || addresses.length == 0
            || transport.getReportSuccess()
            || Boolean.parseBoolean(session.getProperty("mail.smtp.allow8bitmime"));
    if (angusOnly && needsUtf8) {
      // Angus writes a non-ASCII address as one byte per character: another address
      throw new RefusedLocallyException(
          RefusedLocallyException.Reason.NEEDS_SMTPUTF8,
          "a non-ASCII envelope address can go only as a plain MimeMessage (not an SMTPMessage,"
              + " without mail.smtp.allow8bitmime or reportSuccess); nothing was sent");
    }
    if (angusOnly || addresses == null || !(pipelining || chunking || needsUtf8 || sizeLimit > 0)) {
      return null;
    }
    if (sender == null) {
      throw new MessagingException("can't determine local email address");
    }
    InternetAddress[] recipients = new InternetAddress[addresses.length];
    for (int i = 0; i < addresses.length; i++) {
      if (!(addresses[i] instanceof InternetAddress)
          || ((InternetAddress) addresses[i]).isGroup()) {
        return null;
      }
      recipients[i] = (InternetAddress) addresses[i];
    }
    OutputStream wire = transport.wire();
    if (wire == null) {
      if (needsUtf8) {
        throw new MessagingException("the connection's output is gone; nothing was sent");
      }
      return null;
    }
    return new PipelinedTransaction(
        transport,
        (MimeMessage) message,
        sender,
        recipients,
        pipelining,
        chunking,
        needsUtf8,
        sizeLimit,
        wire);
  }

  /** The server's SIZE limit (RFC 1870): 0 for none (or none advertised). */
  private static long sizeLimit(SmarthostTransport transport) {
    if (!transport.supportsExtension("SIZE")) {
      return 0;
    }
    String limit = transport.getExtensionParameter("SIZE");
    try {
      return limit == null || limit.isBlank() ? 0 : Math.max(0, Long.parseLong(limit.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Sends the message; throws what Angus' {@code sendMessage} would throw. */
  void send() throws MessagingException {
    Envelope env;
    try {
      String wireSender = sender;
      if (!utf8) {
        // without SMTPUTF8: ASCII as is, an IDN domain as its A-label, anything else refused
        wireSender = EnvelopeRules.withoutUtf8(sender);
        for (int i = 0; i < wireRecipients.size(); i++) {
          wireRecipients.set(i, EnvelopeRules.withoutUtf8(wireRecipients.get(i)));
        }
      }
      long size = -1;
      if (sizeLimit > 0) {
        byte[] bytes = serialize();
        if (bytes.length > sizeLimit) {
          throw new RefusedLocallyException(
              RefusedLocallyException.Reason.TOO_LARGE,
              "the message has "
                  + bytes.length
                  + " bytes, more than the "
                  + sizeLimit
                  + " the server accepts (EHLO SIZE); nothing was uploaded");
        }
        serialized = bytes;
        size = bytes.length;
      }
      env =
          new Envelope(transport, wireSender, recipients, wireRecipients, utf8, sendPartial, size);
    } catch (MessagingException e) {
      // nothing was sent: the connection stays as it was
      transport.notifyTransport(
          TransportEvent.MESSAGE_NOT_DELIVERED, null, recipients, new Address[0], message);
      throw e;
    }
    int finalCode;
    try {
      finalCode = chunking ? sendChunked(env) : sendWithData(env);
    } catch (IOException | MessagingException e) {
      throw failed(unwrapped(e), env);
    } catch (RuntimeException e) {
      // e.g. from the message's own writeTo: what the server has is unknown
      transport.closeQuietly();
      throw e;
    } finally {
      serialized = null;
      transport.trace().transactionDone(out.roundTrips(), pipelining, chunking);
    }
    transport.trace().phase(ValidationPhase.DATA, envelopeRead);
    if (env.partial()) {
      Address[] sent = env.valid();
      Address[] unsent = env.validUnsent();
      Address[] invalid = env.invalid();
      transport.notifyTransport(
          TransportEvent.MESSAGE_PARTIALLY_DELIVERED, sent, unsent, invalid, message);
      throw new SMTPSendFailedException(
          ".",
          finalCode,
          transport.getLastServerResponse(),
          env.recipientFailures(),
          sent,
          unsent,
          invalid);
    }
    transport.notifyTransport(
        TransportEvent.MESSAGE_DELIVERED, recipients, new Address[0], new Address[0], message);
  }

  /** The refusal an {@link Abort} carried out of the message's {@code writeTo}, or {@code e}. */
  private static Exception unwrapped(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Abort abort) {
        return abort.failure;
      }
    }
    return e;
  }

  /**
   * A refusal is thrown as it is; anything else (the connection broke, the message could not be
   * written) leaves unknown what the server has, so the connection is closed.
   */
  private MessagingException failed(Exception e, Envelope env) {
    MessagingException failure;
    if (e == refusal) {
      failure = refusal;
    } else {
      transport.closeQuietly();
      failure =
          e instanceof MessagingException m
              ? m
              : new MessagingException("IOException while sending message", e);
    }
    transport.notifyTransport(
        TransportEvent.MESSAGE_NOT_DELIVERED, null, env.unsent(), env.invalid(), message);
    return failure;
  }

  /** MAIL, RCPT..., DATA pipelined (DATA only when it cannot go wrong), then the body. */
  private int sendWithData(Envelope env) throws IOException, MessagingException {
    boolean dataWithEnvelope = pipelining && (sendPartial || env.size() == 1);
    if (pipelining) {
      writeEnvelope(env);
      if (dataWithEnvelope) {
        out.command("DATA");
      }
      out.flush();
    }
    boolean accepted = readEnvelope(env, !pipelining);
    int code = 0;
    if (dataWithEnvelope && !outOfStep) {
      code = transport.reply();
      if (!accepted && code == GO_AHEAD) {
        // RFC 2920 3.1: a server that takes DATA without recipients gets an empty message
        out.command(".");
        out.flush();
        transport.reply();
      }
    }
    if (!accepted) {
      throw refused(env.refusal());
    }
    if (!dataWithEnvelope) {
      out.command("DATA");
      out.flush();
      code = transport.reply();
    }
    if (code != GO_AHEAD) {
      throw bodyRefused(env, "DATA", code);
    }
    SMTPOutputStream body = new SMTPOutputStream(out.stream());
    byte[] bytes = serialized;
    if (bytes != null) {
      body.write(bytes);
    } else {
      message.writeTo(body, IGNORE_HEADERS);
    }
    body.ensureAtBOL();
    out.command(".");
    out.flush();
    code = transport.reply();
    if (code != OK) {
      throw bodyRefused(env, ".", code);
    }
    return code;
  }

  /** MAIL, RCPT... and BDAT chunks, pipelined where the server allows it. */
  private int sendChunked(Envelope env) throws IOException, MessagingException {
    BdatStream chunks = new BdatStream(CHUNK_BYTES, new ChunkSender(this, env));
    byte[] bytes = serialized;
    if (bytes != null) {
      chunks.write(bytes); // already with CRLF line ends
    } else {
      BdatStream.LineEnds body = new BdatStream.LineEnds(chunks);
      message.writeTo(body, IGNORE_HEADERS);
      body.ensureAtBOL();
    }
    chunks.finish();
    return OK;
  }

  /**
   * The message as it goes on the wire (CRLF line ends, ending with one), for its size; sent from
   * this buffer, so it is written once. A message whose source breaks fails here, before anything
   * is sent.
   */
  private byte[] serialize() throws MessagingException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    try {
      BdatStream.LineEnds body = new BdatStream.LineEnds(bytes);
      message.writeTo(body, IGNORE_HEADERS);
      body.ensureAtBOL();
      body.flush();
    } catch (IOException e) {
      throw new MessagingException("the message cannot be written: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  void writeEnvelope(Envelope env) throws IOException {
    out.command(env.mail);
    for (String rcpt : env.rcpts) {
      out.command(rcpt);
    }
  }

  /**
   * Reads the replies to MAIL FROM and every RCPT TO, in order, sending each command first when
   * {@code lockstep}. Returns whether the message may follow.
   */
  boolean readEnvelope(Envelope env, boolean lockstep) throws IOException, MessagingException {
    if (lockstep) {
      out.command(env.mail);
      out.flush();
    }
    int code = transport.reply();
    long rcptStart = System.nanoTime();
    if (!env.sender(code, transport.getLastServerResponse())) {
      outOfStep = code < 0;
      if (!lockstep) {
        drain(env.size());
      }
      return false;
    }
    // a step is reported once it succeeded (ValidationResult#phases): a refusal is the failure
    transport.trace().phase(ValidationPhase.MAIL, start, rcptStart);
    for (int i = 0; i < env.size(); i++) {
      if (lockstep) {
        out.command(env.rcpts.get(i));
        out.flush();
      }
      code = transport.reply();
      if (!env.recipient(i, code, transport.getLastServerResponse())) {
        outOfStep = code < 0;
        if (!lockstep) {
          drain(env.size() - i - 1);
        }
        return false;
      }
    }
    envelopeRead = System.nanoTime();
    boolean accepted = env.messageMayFollow();
    if (accepted) {
      transport.trace().phase(ValidationPhase.RCPT, rcptStart, envelopeRead);
    }
    return accepted;
  }

  /** Reads and drops replies to commands already sent, unless the conversation is lost. */
  private void drain(int replies) throws MessagingException {
    for (int i = 0; i < replies && !outOfStep; i++) {
      outOfStep = transport.reply() < 0;
    }
  }

  /** The transaction ends without a message: RSET, or close if the replies are out of step. */
  MessagingException refused(MessagingException e) {
    reset();
    refusal = e;
    return e;
  }

  MessagingException bodyRefused(Envelope env, String cmd, int code) {
    String reply = transport.getLastServerResponse();
    MessagingException partial = sendPartial ? env.recipientFailures() : null;
    return refused(
        new SMTPSendFailedException(cmd, code, reply, partial, null, env.unsent(), env.invalid()));
  }

  private void reset() {
    if (outOfStep) {
      transport.closeQuietly();
      return;
    }
    try {
      out.command("RSET");
      out.flush();
      transport.reply();
    } catch (IOException | MessagingException | RuntimeException e) {
      transport.closeQuietly();
    }
  }

  /** Carries a refusal out of the body stream, which may only throw IOException. */
  static final class Abort extends IOException {
    private static final long serialVersionUID = 1L;
    final transient MessagingException failure;

    Abort(MessagingException failure) {
      super(failure.getMessage(), failure);
      this.failure = failure;
    }
  }
}
