package dev.smarthost.spring;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.core.SmtpOptions;
import dev.smarthost.testkit.SmarthostServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A Spring Boot application whose only mail configuration is {@code smarthost.env-file}. */
@SpringBootTest(classes = NotificationAppTest.NotificationApp.class)
class NotificationAppTest {
  static final SmarthostServer SERVER =
      SmarthostServer.builder()
          .encryption(Encryption.STARTTLS)
          .requireAuth("app", "s3cret")
          .start();

  @DynamicPropertySource
  static void smarthost(DynamicPropertyRegistry registry) {
    try {
      Path env = Files.createTempDirectory("smarthost-app").resolve("smarthost.env");
      SERVER.writeEnvFile(env);
      registry.add("smarthost.env-file", env::toString);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() {
    SERVER.close();
  }

  @Autowired Notifications notifications;

  @Test
  void sendsItsFirstNotification() {
    notifications.diskAlmostFull("/var");
    assertThat(SERVER)
        .received(1)
        .message(0)
        .hasSubject("Disk almost full: /var")
        .hasRecipient("admin@example.org")
        .wasEncrypted()
        .wasAuthenticatedAs("app");
  }

  /** The application's own code: plain Spring, nothing smarthost-specific. */
  static class Notifications {
    private final JavaMailSender mail;

    Notifications(JavaMailSender mail) {
      this.mail = mail;
    }

    void diskAlmostFull(String volume) {
      SimpleMailMessage message = new SimpleMailMessage();
      message.setFrom("app@example.org");
      message.setTo("admin@example.org");
      message.setSubject("Disk almost full: " + volume);
      message.setText("Only 2 % left on " + volume + ".");
      mail.send(message);
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class NotificationApp {
    @Bean
    Notifications notifications(JavaMailSender mail) {
      return new Notifications(mail);
    }

    /** Only because the test server's CA is not in the JDK's trust store. */
    @Bean
    SmtpOptions smtpOptions() {
      return SERVER.smtpOptions();
    }
  }
}
