package dev.smarthost.spring.docs;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/** The application's code of the Spring Boot guide (docs/spring-boot.md), verbatim. */
// README: spring app
@Component
class Notifications {
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
// README: end
