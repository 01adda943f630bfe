package com.example.alerts;

import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/** Plain Spring: the application knows a JavaMailSender, nothing of smarthost. */
@Component
public class Notifications {
  private final JavaMailSender mail;

  public Notifications(JavaMailSender mail) {
    this.mail = mail;
  }

  public void diskAlmostFull(String volume) {
    SimpleMailMessage message = new SimpleMailMessage();
    message.setFrom("app@example.org");
    message.setTo("admin@example.org");
    message.setSubject("Disk almost full: " + volume);
    message.setText("Only 2 % left on " + volume + ".");
    mail.send(message);
  }
}
