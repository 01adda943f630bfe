package dev.smarthost.spring;

import dev.smarthost.SmarthostResolver;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;
import dev.smarthost.testsupport.PosixLocale;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;

/**
 * Run by {@link PosixLocaleTest} in a JVM with {@code LANG=C}: sends through the starter's sender
 * the way Spring applications do, and prints what the server stored, as ASCII escapes so that the
 * child's own output charset cannot change it.
 */
public final class PosixLocaleChild {
  static final String SUBJECT = "Grüße";
  static final String TEXT = "Ärger über Öl";
  static final String NAME = "Jürgen Groß";

  private static SmarthostServer server;

  private PosixLocaleChild() {}

  public static void main(String[] args) throws Exception {
    System.out.println("default=" + Charset.defaultCharset().name());
    try (SmarthostServer s = SmarthostServer.builder().start()) {
      server = s;
      try (ConfigurableApplicationContext context =
          new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).run()) {
        JavaMailSender sender = context.getBean(JavaMailSender.class);
        SimpleMailMessage simple = new SimpleMailMessage();
        simple.setFrom("app@example.org");
        simple.setTo("admin@example.org");
        simple.setSubject(SUBJECT);
        simple.setText(TEXT);
        sender.send(simple);

        MimeMessage mime = sender.createMimeMessage();
        MimeMessageHelper helper = new MimeMessageHelper(mime, true); // multipart, no encoding
        helper.setFrom("app@example.org", NAME);
        helper.setTo("admin@example.org");
        helper.setSubject(SUBJECT);
        helper.setText(TEXT);
        sender.send(mime);
      }
      for (ReceivedMessage m : s.awaitMessages(2, Duration.ofSeconds(10))) {
        System.out.println("subject=" + PosixLocale.escape(m.subject().orElse("")));
        System.out.println("body=" + PosixLocale.escape(m.body().strip()));
        System.out.println(
            "from="
                + PosixLocale.escape(
                    jakarta.mail.internet.MimeUtility.decodeText(m.headers("From").get(0))));
      }
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    SmarthostResolver smarthostResolver() {
      return () -> Optional.of(server.settings());
    }

    @Bean
    SmtpOptions smarthostSmtpOptions() {
      return server.smtpOptions();
    }
  }
}
