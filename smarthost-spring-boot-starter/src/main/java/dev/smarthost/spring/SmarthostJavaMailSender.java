package dev.smarthost.spring;

import dev.smarthost.SmarthostDisabledException;
import dev.smarthost.SmarthostException;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.core.SmarthostMailer;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.springframework.mail.MailException;
import org.springframework.mail.MailParseException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMailMessage;

/**
 * Spring's {@link JavaMailSender} on a {@link SmarthostMailer}: reused connections, the current
 * settings on every send, classified failures. A {@link SmarthostSendException} or {@link
 * SmarthostDisabledException} arrives as the cause of Spring's {@link MailSendException}. When the
 * mailer has an outbox ({@code smarthost.outbox.directory}), {@code send} stores each message
 * durably and returns; delivery failures then end in the outbox's dead entries.
 */
public final class SmarthostJavaMailSender implements JavaMailSender {
  private final SmarthostMailer mailer;
  private final Session session = Session.getInstance(new Properties());

  /**
   * Creates the sender.
   *
   * @param mailer the mailer that sends
   */
  public SmarthostJavaMailSender(SmarthostMailer mailer) {
    this.mailer = Objects.requireNonNull(mailer, "mailer");
  }

  @Override
  public MimeMessage createMimeMessage() {
    return new MimeMessage(session);
  }

  @Override
  public MimeMessage createMimeMessage(InputStream contentStream) throws MailException {
    try {
      return new MimeMessage(session, contentStream);
    } catch (MessagingException e) {
      throw new MailParseException("cannot parse the message", e);
    }
  }

  @Override
  public void send(MimeMessage... mimeMessages) throws MailException {
    Map<Object, Exception> failures = new LinkedHashMap<>();
    for (MimeMessage message : mimeMessages) {
      try {
        if (mailer.outbox().isPresent()) {
          mailer.enqueue(message); // durable on return; delivered in the background
        } else {
          mailer.send(message);
        }
      } catch (SmarthostException | IllegalArgumentException e) {
        failures.put(message, e);
      }
    }
    if (!failures.isEmpty()) {
      if (mimeMessages.length == 1) {
        Exception only = failures.values().iterator().next();
        throw new MailSendException(only.getMessage(), only);
      }
      throw new MailSendException(failures);
    }
  }

  @Override
  public void send(SimpleMailMessage... simpleMessages) throws MailException {
    MimeMessage[] converted = new MimeMessage[simpleMessages.length];
    for (int i = 0; i < simpleMessages.length; i++) {
      MimeMessage message = createMimeMessage();
      try {
        simpleMessages[i].copyTo(new MimeMailMessage(message));
      } catch (RuntimeException e) {
        throw new MailPreparationException("cannot prepare message " + i, e);
      }
      converted[i] = message;
    }
    send(converted);
  }
}
