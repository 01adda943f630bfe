package dev.smarthost.core.send;

import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.ParseException;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps a message's text whole whatever the platform charset. Jakarta Mail labels text and encodes
 * headers with the JVM's default charset when the caller names none (the system property {@code
 * mail.mime.charset}, else {@code file.encoding}); on JDK 17 under a POSIX locale that is US-ASCII,
 * and every non-ASCII character becomes {@code ?}:
 *
 * <ul>
 *   <li>a text part still holds its {@code String}, only its label is wrong: it is relabelled
 *       UTF-8, nothing is lost;
 *   <li>a header was already encoded (at {@code setSubject}, {@code setPersonal}) and its
 *       characters are gone: the message is refused, naming the header, rather than sent damaged.
 * </ul>
 */
final class TextCharsets {
  /** An encoded word in an ASCII charset: Angus writes one only for text that was not ASCII. */
  private static final Pattern ASCII_ENCODED_WORD =
      Pattern.compile(
          "=\\?(us-ascii|ascii|ansi_x3\\.4-1968|iso646-us)(\\*[^?]*)?\\?[bq]\\?",
          Pattern.CASE_INSENSITIVE);

  private TextCharsets() {}

  /**
   * Relabels text parts whose charset cannot hold their text, and refuses headers that lost it.
   *
   * @throws IllegalArgumentException naming the header that lost its characters
   */
  static void keepWhole(MimePart message) throws MessagingException, IOException {
    headers(message);
    text(message);
  }

  private static void headers(MimePart part) throws MessagingException {
    Enumeration<Header> all = part.getAllHeaders();
    while (all.hasMoreElements()) {
      Header h = all.nextElement();
      if (h.getValue() != null && ASCII_ENCODED_WORD.matcher(h.getValue()).find()) {
        throw new IllegalArgumentException(
            "message: the "
                + h.getName()
                + " header was encoded as US-ASCII (the platform charset, e.g. under LANG=C) and"
                + " lost its non-ASCII characters; name the charset where it is set (e.g."
                + " setSubject(text, \"UTF-8\"), new InternetAddress(address, name, \"UTF-8\")),"
                + " or start the JVM with -Dmail.mime.charset=UTF-8");
      }
    }
  }

  private static void text(MimePart part) throws MessagingException, IOException {
    if (part.isMimeType("multipart/*")) {
      Object content = part.getContent();
      if (content instanceof Multipart multipart) {
        for (int i = 0; i < multipart.getCount(); i++) {
          if (multipart.getBodyPart(i) instanceof MimePart child) {
            headers(child);
            text(child);
          }
        }
      }
      return;
    }
    if (!part.isMimeType("text/*") || Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
      return;
    }
    ContentType type;
    try {
      type = new ContentType(part.getContentType());
    } catch (ParseException e) {
      return; // Angus refuses it when writing, with its own message
    }
    if (!(part.getContent() instanceof String text)) {
      return;
    }
    // without a label Angus picks the platform's default when it writes the part
    String label = type.getParameter("charset");
    if (label == null) {
      String configured = System.getProperty("mail.mime.charset");
      label =
          configured != null && !configured.isEmpty()
              ? configured
              : jakarta.mail.internet.MimeUtility.getDefaultJavaCharset();
    }
    Charset charset;
    try {
      charset = Charset.forName(javaName(label));
    } catch (IllegalArgumentException e) {
      return; // an unknown charset fails when written, with its own message
    }
    if (!charset.newEncoder().canEncode(text)) {
      part.setText(text, StandardCharsets.UTF_8.name(), type.getSubType().toLowerCase(Locale.ROOT));
    }
  }

  /**
   * The charset the label names, as a reader takes it: Jakarta Mail itself maps "US-ASCII" to
   * ISO-8859-1 when it writes, so the bytes fit no label a reader trusts.
   */
  private static String javaName(String mimeName) {
    return Charset.isSupported(mimeName)
        ? mimeName
        : jakarta.mail.internet.MimeUtility.javaCharset(mimeName);
  }
}
