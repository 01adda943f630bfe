package dev.smarthost.spring.docs;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.SmarthostServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The guide's application ({@link Notifications}) whose only mail configuration is {@code
 * smarthost.env-file}, against a server that requires AUTH.
 */
@SpringBootTest
@Import(NotificationAppTest.TrustTheTestServer.class)
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

  /** Only because the test server's CA is not in the JDK's trust store. */
  @TestConfiguration(proxyBeanMethods = false)
  static class TrustTheTestServer {
    @Bean
    SmtpOptions smtpOptions() {
      return SERVER.smtpOptions();
    }
  }
}
