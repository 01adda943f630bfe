package dev.smarthost.spring;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostDisabledException;
import dev.smarthost.SmarthostException;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.core.send.SmarthostMailer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMailMessage;

/**
 * Spring's {@link JavaMailSender} on a {@link SmarthostMailer}: reused connections, the current
 * settings on every send, classified failures.
 *
 * <p>Like Spring's own sender: messages it creates carry a default encoding (UTF-8 unless {@code
 * spring.mail.default-encoding} says otherwise), so {@link
 * org.springframework.mail.javamail.MimeMessageHelper} and {@link SimpleMailMessage} keep every
 * character whatever the platform charset — under {@code LANG=C} on JDK 17 that is US-ASCII; failed
 * authentication is a {@link MailAuthenticationException}; any other failure a {@link
 * MailSendException} whose {@link MailSendException#getFailedMessages()} maps each message the
 * caller passed (the {@link SimpleMailMessage} itself, not its conversion) to its {@link
 * SmarthostSendException} or {@link SmarthostDisabledException}, which is also the cause. When the
 * mailer has an outbox ({@code smarthost.outbox.directory}), {@code send} stores each message
 * durably and returns; delivery failures then end in the outbox's dead entries.
 */
public final class SmarthostJavaMailSender implements JavaMailSender {
  /** Failures that mean the login, not the message: Spring reports those for the whole call. */
  private static final Set<FailureKind> AUTHENTICATION =
      Set.of(
          FailureKind.AUTHENTICATION_FAILED,
          FailureKind.AUTHENTICATION_REQUIRED,
          FailureKind.AUTH_NOT_OFFERED,
          FailureKind.OAUTH2_TOKEN_FAILED);

  private final SmarthostMailer mailer;

  /** Spring's own sender, used only to create messages that carry the default encoding. */
  private final JavaMailSenderImpl messages = new JavaMailSenderImpl();

  /**
   * Creates the sender; its messages are UTF-8.
   *
   * @param mailer the mailer that sends
   */
  public SmarthostJavaMailSender(SmarthostMailer mailer) {
    this(mailer, java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Creates the sender with another default encoding for the messages it creates.
   *
   * @param mailer the mailer that sends
   * @param defaultEncoding the charset of text and headers when the caller names none
   */
  public SmarthostJavaMailSender(SmarthostMailer mailer, Charset defaultEncoding) {
    this.mailer = Objects.requireNonNull(mailer, "mailer");
    messages.setSession(Session.getInstance(new Properties()));
    messages.setDefaultEncoding(defaultEncoding.name());
  }

  @Override
  public MimeMessage createMimeMessage() {
    return messages.createMimeMessage();
  }

  @Override
  public MimeMessage createMimeMessage(InputStream contentStream) throws MailException {
    return messages.createMimeMessage(contentStream); // a MailParseException when unreadable
  }

  @Override
  public void send(MimeMessage... mimeMessages) throws MailException {
    send(mimeMessages, mimeMessages);
  }

  @Override
  public void send(SimpleMailMessage... simpleMessages) throws MailException {
    MimeMessage[] converted = new MimeMessage[simpleMessages.length];
    for (int i = 0; i < simpleMessages.length; i++) {
      converted[i] = createMimeMessage();
      simpleMessages[i].copyTo(new MimeMailMessage(converted[i])); // MailParseException if bad
    }
    send(converted, simpleMessages);
  }

  private void send(MimeMessage[] mimeMessages, Object[] originals) {
    Map<Object, Exception> failures = new LinkedHashMap<>();
    for (int i = 0; i < mimeMessages.length; i++) {
      try {
        if (mailer.outbox().isPresent()) {
          mailer.enqueue(mimeMessages[i]); // durable on return; delivered in the background
        } else {
          mailer.send(mimeMessages[i]);
        }
      } catch (SmarthostSendException e) {
        if (AUTHENTICATION.contains(e.kind())) {
          throw new MailAuthenticationException(String.valueOf(e.getMessage()), e);
        }
        failures.put(originals[i], e);
      } catch (SmarthostException | IllegalArgumentException e) {
        failures.put(originals[i], e);
      }
    }
    if (!failures.isEmpty()) {
      // Spring's message format: "Failed messages: <each failure>", our count before it
      Exception first = failures.values().iterator().next();
      @Nullable String count =
          originals.length == 1 ? null : failures.size() + " of " + originals.length + " failed";
      throw new MailSendException(count, first, failures);
    }
  }
}
