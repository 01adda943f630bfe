package dev.smarthost.testkit;

import dev.smarthost.testkit.internal.Transaction;
import jakarta.mail.BodyPart;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A message a {@link SmarthostServer} accepted: the SMTP envelope, how the session was protected
 * and authenticated, and the message itself as GreenMail stored it.
 */
public final class ReceivedMessage {
  private final Transaction transaction;
  private final MimeMessage message;

  /** The messages of these transactions, in order. */
  static List<ReceivedMessage> of(List<Transaction> transactions) {
    List<ReceivedMessage> result = new ArrayList<>(transactions.size());
    for (Transaction t : transactions) {
      result.add(new ReceivedMessage(t, t.message()));
    }
    return result;
  }

  /**
   * The messages that arrived while waiting for {@code count}.
   *
   * @throws AssertionError listing what did arrive, if fewer did
   */
  static List<ReceivedMessage> atLeast(int count, Duration waited, List<Transaction> arrived) {
    List<ReceivedMessage> messages = of(arrived);
    if (messages.size() < count) {
      throw new AssertionError(
          "expected at least "
              + count
              + " message(s) within "
              + waited
              + " but "
              + messages.size()
              + " arrived: "
              + messages);
    }
    return messages;
  }

  ReceivedMessage(Transaction transaction, MimeMessage message) {
    this.transaction = transaction;
    this.message = message;
  }

  /**
   * Returns the envelope sender, as given in {@code MAIL FROM}.
   *
   * @return the address; empty for a bounce ({@code MAIL FROM:<>})
   */
  public String envelopeSender() {
    return transaction.sender();
  }

  /**
   * Returns the envelope recipients the server accepted, as given in {@code RCPT TO}.
   *
   * @return the addresses in order
   */
  public List<String> recipients() {
    return transaction.recipients();
  }

  /**
   * Returns who authenticated the session that sent this message.
   *
   * @return the user name, or empty if the session did not authenticate
   */
  public Optional<String> authenticatedUser() {
    return Optional.ofNullable(transaction.authenticatedUser());
  }

  /**
   * Returns whether the message travelled over TLS (STARTTLS or implicit TLS).
   *
   * @return true if encrypted
   */
  public boolean encrypted() {
    return transaction.tlsProtocol() != null;
  }

  /**
   * Returns the TLS protocol of the session, such as {@code TLSv1.3}.
   *
   * @return the protocol, or empty if not encrypted
   */
  public Optional<String> tlsProtocol() {
    return Optional.ofNullable(transaction.tlsProtocol());
  }

  /**
   * Returns the name the client announced in {@code EHLO} or {@code HELO}.
   *
   * @return the name
   */
  public String heloName() {
    return transaction.heloName();
  }

  /**
   * Returns the id the server gave the message, also found in its {@code Received} header.
   *
   * @return the id
   */
  public String id() {
    return transaction.id();
  }

  /**
   * Returns the {@code Subject} header, decoded.
   *
   * @return the subject, or empty if there is none
   */
  public Optional<String> subject() {
    try {
      return Optional.ofNullable(message.getSubject());
    } catch (MessagingException e) {
      throw unreadable(e);
    }
  }

  /**
   * Returns the values of one header, in order, as they were received.
   *
   * @param name the header name, any case
   * @return the values; empty if the header is absent
   */
  public List<String> headers(String name) {
    try {
      String[] values = message.getHeader(name);
      return values == null ? List.of() : List.of(values);
    } catch (MessagingException e) {
      throw unreadable(e);
    }
  }

  /**
   * Returns all headers, names as received, values in order.
   *
   * @return an unmodifiable map in header order
   */
  public Map<String, List<String>> headers() {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    try {
      Enumeration<Header> all = message.getAllHeaders();
      while (all.hasMoreElements()) {
        Header h = all.nextElement();
        headers.computeIfAbsent(h.getName(), k -> new ArrayList<>()).add(h.getValue());
      }
    } catch (MessagingException e) {
      throw unreadable(e);
    }
    headers.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(headers);
  }

  /**
   * Returns the text of the message: the decoded content of a {@code text/*} message, or of the
   * first {@code text/plain} part of a multipart one.
   *
   * @return the text with line breaks as {@code \n}; empty if the message has no text part
   */
  public String body() {
    try {
      String text = text(message.getContent());
      return text == null ? "" : text.replace("\r\n", "\n");
    } catch (MessagingException | IOException e) {
      throw unreadable(e);
    }
  }

  private static @Nullable String text(Object content) throws MessagingException, IOException {
    if (content instanceof String text) {
      return text;
    }
    if (content instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart part = multipart.getBodyPart(i);
        if (part.isMimeType("text/plain") || part.isMimeType("multipart/*")) {
          String text = text(part.getContent());
          if (text != null) {
            return text;
          }
        }
      }
    }
    return null;
  }

  /**
   * Returns whether the client pipelined this transaction (RFC 2920): it sent a command before the
   * reply to MAIL FROM or to a RCPT TO arrived.
   *
   * @return true if commands arrived ahead of the replies
   */
  public boolean pipelined() {
    return transaction.pipelined();
  }

  /**
   * Returns the SASL mechanism the session logged in with: {@code PLAIN}, {@code LOGIN}, or {@code
   * XOAUTH2/OAUTHBEARER} for a token.
   *
   * @return the mechanism, or empty if the session did not authenticate
   */
  public Optional<String> authMechanism() {
    return Optional.ofNullable(transaction.authMechanism());
  }

  /**
   * Returns the parameters the client gave in {@code MAIL FROM} after the address, as sent: e.g.
   * {@code SIZE=1234} (RFC 1870) and {@code SMTPUTF8} (RFC 6531, an address that is not ASCII).
   *
   * @return the parameters in order; empty if there were none
   */
  public List<String> mailParameters() {
    return transaction.mailParameters();
  }

  /**
   * Returns whether the message came in BDAT chunks (RFC 3030) rather than with DATA.
   *
   * @return true for BDAT
   */
  public boolean chunked() {
    return transaction.chunked();
  }

  /**
   * Returns the HTML of the message: the decoded content of a {@code text/html} message, or of the
   * first {@code text/html} part of a multipart one (e.g. the HTML alternative).
   *
   * @return the HTML with line breaks as {@code \n}; empty if the message has no HTML part
   */
  public Optional<String> html() {
    try {
      for (jakarta.mail.Part part : parts()) {
        if (part.isMimeType("text/html") && !isAttachment(part)) {
          return Optional.of(String.valueOf(part.getContent()).replace("\r\n", "\n"));
        }
      }
      return Optional.empty();
    } catch (MessagingException | IOException e) {
      throw unreadable(e);
    }
  }

  /**
   * Returns the attachments: parts with disposition {@code attachment}, or with a file name and not
   * inline, in the order of the message.
   *
   * @return the attachments, decoded; empty if there are none
   */
  public List<Attachment> attachments() {
    try {
      List<Attachment> result = new ArrayList<>();
      for (jakarta.mail.Part part : parts()) {
        if (isAttachment(part)) {
          String type = part.getContentType();
          int semicolon = type.indexOf(';');
          result.add(
              new Attachment(
                  fileName(part),
                  (semicolon < 0 ? type : type.substring(0, semicolon))
                      .trim()
                      .toLowerCase(Locale.ROOT),
                  part.getInputStream().readAllBytes()));
        }
      }
      return Collections.unmodifiableList(result);
    } catch (MessagingException | IOException e) {
      throw unreadable(e);
    }
  }

  /**
   * The file name, decoded: RFC 2231 ({@code filename*=UTF-8''…}) as Jakarta Mail does, and an RFC
   * 2047 encoded word ({@code filename="=?UTF-8?Q?…?="}) as Outlook and Gmail write it.
   */
  private static String fileName(jakarta.mail.Part part) throws MessagingException {
    String name = part.getFileName();
    if (name == null) {
      return "";
    }
    if (name.startsWith("=?") && name.endsWith("?=")) {
      try {
        return jakarta.mail.internet.MimeUtility.decodeText(name);
      } catch (java.io.UnsupportedEncodingException e) {
        return name; // an unknown charset: shown as written
      }
    }
    return name;
  }

  private static boolean isAttachment(jakarta.mail.Part part) throws MessagingException {
    String disposition = part.getDisposition();
    return jakarta.mail.Part.ATTACHMENT.equalsIgnoreCase(disposition)
        || (part.getFileName() != null && !jakarta.mail.Part.INLINE.equalsIgnoreCase(disposition));
  }

  /** Every leaf part, depth first, in the order of the message. */
  private List<jakarta.mail.Part> parts() throws MessagingException, IOException {
    List<jakarta.mail.Part> leaves = new ArrayList<>();
    collect(message, leaves);
    return leaves;
  }

  private static void collect(jakarta.mail.Part part, List<jakarta.mail.Part> leaves)
      throws MessagingException, IOException {
    if (part.isMimeType("multipart/*")) {
      Multipart multipart = (Multipart) part.getContent();
      for (int i = 0; i < multipart.getCount(); i++) {
        collect(multipart.getBodyPart(i), leaves);
      }
    } else {
      leaves.add(part);
    }
  }

  /** An attachment of a {@link ReceivedMessage}: its file name, content type and decoded bytes. */
  public static final class Attachment {
    private final String name;
    private final String contentType;
    private final byte[] content;

    Attachment(String name, String contentType, byte[] content) {
      this.name = name;
      this.contentType = contentType;
      this.content = content;
    }

    /**
     * Returns the file name.
     *
     * @return the name the sender gave, decoded; empty if it gave none
     */
    public String name() {
      return name;
    }

    /**
     * Returns the content type, without parameters.
     *
     * @return for example {@code application/pdf}
     */
    public String contentType() {
      return contentType;
    }

    /**
     * Returns the decoded content.
     *
     * @return a copy of the bytes
     */
    public byte[] content() {
      return content.clone();
    }

    @Override
    public String toString() {
      return "Attachment{" + name + ", " + contentType + ", " + content.length + " bytes}";
    }
  }

  /**
   * Returns the message as GreenMail stored it, for anything the accessors above do not cover.
   *
   * @return the message; do not modify it
   */
  public MimeMessage mimeMessage() {
    return message;
  }

  private static IllegalStateException unreadable(Exception e) {
    return new IllegalStateException("cannot read received message: " + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "ReceivedMessage{id="
        + transaction.id()
        + ", from=<"
        + transaction.sender()
        + ">, to="
        + transaction.recipients()
        + ", subject="
        + subject().orElse("")
        + (encrypted() ? ", " + transaction.tlsProtocol() : ", clear text")
        + authenticatedUser().map(u -> ", authenticated as " + u).orElse("")
        + "}";
  }
}
