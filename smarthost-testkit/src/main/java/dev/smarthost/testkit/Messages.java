package dev.smarthost.testkit;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Small test messages for tests and examples, with their charset named (UTF-8), so they arrive the
 * same under any platform charset.
 *
 * <pre>{@code
 * Transport.send(Messages.simple(server.session(), "Disk almost full"));
 * }</pre>
 */
public final class Messages {
  /** The sender of {@link #simple(Session, String)}. */
  public static final String FROM = "app@example.org";

  /** The recipient of {@link #simple(Session, String)}. */
  public static final String TO = "admin@example.org";

  private Messages() {}

  /**
   * A text message from {@value #FROM} to {@value #TO} with this subject and the text "body of" and
   * the subject.
   *
   * @param session the session the message belongs to, e.g. {@link SmarthostServer#session()}
   * @param subject the subject
   * @return a new message
   * @throws MessagingException if Jakarta Mail refuses a part of it
   */
  public static MimeMessage simple(Session session, String subject) throws MessagingException {
    return simple(session, FROM, TO, subject, "body of " + subject);
  }

  /**
   * A text message.
   *
   * @param session the session the message belongs to
   * @param from the sender's address
   * @param to the recipient's address
   * @param subject the subject
   * @param text the text
   * @return a new message
   * @throws MessagingException if an address cannot be parsed
   */
  public static MimeMessage simple(
      Session session, String from, String to, String subject, String text)
      throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress(from));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    m.setSubject(subject, "UTF-8");
    m.setText(text, "UTF-8");
    return m;
  }

  /**
   * A text message from {@value #FROM} to each of {@code recipients} (or {@value #TO} without any),
   * with this subject and the text "body of" and the subject.
   *
   * @param session the session the message belongs to
   * @param subject the subject
   * @param recipients the recipients' addresses
   * @return a new message
   * @throws MessagingException if an address cannot be parsed
   */
  public static MimeMessage to(Session session, String subject, String... recipients)
      throws MessagingException {
    String first = recipients.length == 0 ? TO : recipients[0];
    MimeMessage m = simple(session, FROM, first, subject, "body of " + subject);
    for (int i = 1; i < recipients.length; i++) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress(recipients[i]));
    }
    return m;
  }
}
