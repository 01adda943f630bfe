package dev.smarthost.spring;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import dev.smarthost.spring.test.AutoConfigureSmarthostServer;
import dev.smarthost.testkit.SmarthostServer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Spring developer review, item 2: every test method starts with an empty server, with no {@code
 * server.reset()} in the application's tests — within one class, and across classes that share
 * Spring's cached context ({@link SpringTestIsolationSecondTest}).
 */
@SpringBootTest(classes = SpringTestIsolationTest.App.class)
@AutoConfigureSmarthostServer
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringTestIsolationTest {
  /** The servers the tests of both classes saw: one, when the cache shared the context. */
  static final Set<SmarthostServer> SERVERS = ConcurrentHashMap.newKeySet();

  @Autowired JavaMailSender mail;
  @Autowired SmarthostServer server;

  static void sendOne(JavaMailSender mail, String subject) {
    SimpleMailMessage m = new SimpleMailMessage();
    m.setFrom("app@example.org");
    m.setTo("admin@example.org");
    m.setSubject(subject);
    m.setText("x");
    mail.send(m);
  }

  @Test
  @Order(1)
  void theFirstTestSeesItsOwnMessage() {
    SERVERS.add(server);
    sendOne(mail, "first");
    assertThat(server).received(1).message(0).hasSubject("first").wasEncrypted();
  }

  @Test
  @Order(2)
  void theSecondTestSeesOnlyItsOwnMessage() {
    SERVERS.add(server);
    sendOne(mail, "second");
    assertThat(server).received(1).message(0).hasSubject("second");
    org.assertj.core.api.Assertions.assertThat(SERVERS).hasSize(1);
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}
