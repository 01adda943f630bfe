package dev.smarthost.it;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

final class Mail {
  private Mail() {}

  static MimeMessage message(Session session, String subject) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("app@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
    m.setSubject(subject, "UTF-8");
    m.setText("body of " + subject, "UTF-8");
    return m;
  }
}
