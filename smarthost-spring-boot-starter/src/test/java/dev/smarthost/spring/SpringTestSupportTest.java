package dev.smarthost.spring;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import dev.smarthost.SmarthostResolver;
import dev.smarthost.core.SmtpOptions;
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
 * What a Spring user copies into an application's test: one test configuration with a testkit
 * server and the starter pointed at it, no properties, no {@code @DynamicPropertySource}.
 */
@SpringBootTest(classes = SpringTestSupportTest.App.class)
@Import(SpringTestSupportTest.Smarthost.class)
class SpringTestSupportTest {

  // README: spring test
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

  // README: end

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

  @Test
  void theReadmeShowsThisConfigurationVerbatim() throws Exception {
    String source =
        java.nio.file.Files.readString(
            java.nio.file.Path.of("src/test/java/dev/smarthost/spring/SpringTestSupportTest.java"));
    String region =
        source.substring(
            source.indexOf('\n', source.indexOf("// README: spring test")) + 1,
            source.lastIndexOf("  // README: end"));
    StringBuilder dedented = new StringBuilder();
    region
        .lines()
        .forEach(l -> dedented.append(l.startsWith("  ") ? l.substring(2) : l).append('\n'));
    String readme = java.nio.file.Files.readString(java.nio.file.Path.of("../README.md"));
    org.assertj.core.api.Assertions.assertThat(readme).contains(dedented.toString().strip());
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}
