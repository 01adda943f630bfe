package com.example.notify;

import dev.smarthost.SmarthostResolver;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmtpOptions;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;

/** The application's own code: sends an alert through whatever smarthost the cluster configured. */
public final class Notifier implements AutoCloseable {
  private final SmarthostMailer mailer;

  public Notifier(SmarthostResolver settings, SmtpOptions options) {
    this.mailer = SmarthostMailer.builder(settings).options(options).build();
  }

  public SendResult alert(String to, String subject, String text) throws MessagingException {
    MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
    message.setFrom(new InternetAddress("alerts@example.com"));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    message.setSubject(subject);
    message.setText(text);
    return mailer.send(message);
  }

  @Override
  public void close() {
    mailer.close();
  }
}
