package dev.smarthost.it;

import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;
import dev.smarthost.testsupport.PosixLocale;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * Run by {@link PosixLocaleTest} in a JVM with {@code LANG=C}: messages built with plain Jakarta
 * Mail calls that name no charset, sent through the mailer; prints what the server stored as ASCII
 * escapes, and which message was refused.
 */
public final class PosixLocaleChild {
  static final String SUBJECT = "Grüße";
  static final String TEXT = "Ärger über Öl";
  static final String HTML = "<p>Ärger über Öl</p>";

  private PosixLocaleChild() {}

  public static void main(String[] args) throws Exception {
    System.out.println("default=" + Charset.defaultCharset().name());
    Session session = Session.getInstance(new Properties());
    try (SmarthostServer server = SmarthostServer.builder().start();
        SmarthostMailer mailer =
            SmarthostMailer.builder(() -> Optional.of(server.settings()))
                .options(server.smtpOptions())
                .build()) {
      MimeMessage plain = message(session);
      plain.setSubject(SUBJECT, "UTF-8");
      plain.setText(TEXT); // no charset: labelled US-ASCII by Jakarta Mail under LANG=C
      mailer.send(plain);

      MimeMessage both = message(session);
      both.setSubject(SUBJECT, "UTF-8");
      MimeBodyPart text = new MimeBodyPart();
      text.setText(TEXT);
      MimeBodyPart html = new MimeBodyPart();
      html.setContent(HTML, "text/html");
      both.setContent(new MimeMultipart("alternative", text, html));
      mailer.send(both);

      MimeMessage damaged = message(session);
      damaged.setSubject(SUBJECT); // encoded at once, in US-ASCII: the characters are gone
      damaged.setText(TEXT);
      try {
        mailer.send(damaged);
        System.out.println("refused=none");
      } catch (IllegalArgumentException e) {
        System.out.println("refused=" + e.getMessage());
      }

      for (ReceivedMessage m : server.awaitMessages(2, Duration.ofSeconds(10))) {
        System.out.println("subject=" + PosixLocale.escape(m.subject().orElse("")));
        System.out.println("body=" + PosixLocale.escape(m.body().strip()));
        if (!m.headers("Content-Type").get(0).startsWith("multipart/")) {
          // the label must say what the bytes are: a lenient reader hides a wrong one
          System.out.println("type=" + m.headers("Content-Type").get(0));
        }
        m.html().ifPresent(h -> System.out.println("html=" + PosixLocale.escape(h.strip())));
      }
      System.out.println("count=" + server.receivedMessages().size());
    }
  }

  private static MimeMessage message(Session session) throws Exception {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("app@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
    return m;
  }
}
