package dev.smarthost.spring;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import dev.smarthost.SmarthostResolver;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.SmarthostServer;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * A test configuration of the application's own with a testkit server and the starter pointed at it
 * (what {@code @AutoConfigureSmarthostServer} does for you): its server is emptied before each test
 * method too.
 */
@SpringBootTest(classes = SpringTestSupportTest.App.class)
@Import(SpringTestSupportTest.Smarthost.class)
class SpringTestSupportTest {

  /** A real local smarthost for this test; the starter sends through it. */
  @TestConfiguration(proxyBeanMethods = false)
  static class Smarthost {
    @Bean(destroyMethod = "close")
    SmarthostServer smarthostServer() {
      return SmarthostServer.builder().start(); // STARTTLS, its own CA
    }

    @Bean
    SmarthostResolver smarthostResolver(SmarthostServer server) {
      return () -> Optional.of(server.settings());
    }

    @Bean
    SmtpOptions smarthostSmtpOptions(SmarthostServer server) {
      return server.smtpOptions(); // trusts the server's CA
    }
  }

  @Autowired JavaMailSender mail;
  @Autowired SmarthostServer server;

  @Test
  void theApplicationsMailArrivesAtTheTestServer() {
    SimpleMailMessage m = new SimpleMailMessage();
    m.setFrom("app@example.org");
    m.setTo("admin@example.org");
    m.setSubject("hello from the test");
    m.setText("x");
    mail.send(m);
    assertThat(server).received(1).message(0).hasSubject("hello from the test").wasEncrypted();
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}
