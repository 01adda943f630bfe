package dev.smarthost.it;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.EnvFileSmarthostResolver;
import dev.smarthost.core.SmarthostSessionFactory;
import dev.smarthost.core.SmtpConnectionValidator;
import dev.smarthost.core.SmtpOptions;
import dev.smarthost.core.TestMessage;
import dev.smarthost.core.ValidationResult;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick starts, verbatim between the markers, so that they keep compiling and working.
 */
class ReadmeExamplesTest {

  @Test
  void coreQuickStart(@TempDir Path dir) throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", "s3cret")
            .start()) {
      server.writeEnvFile(dir.resolve("smarthost.env"));
      Path envFile = dir.resolve("smarthost.env");
      SmtpOptions options = server.smtpOptions(); // in production: SmtpOptions.defaults()

      // README: core
      Optional<SmarthostSettings> settings = EnvFileSmarthostResolver.of(envFile).resolve();
      if (settings.isPresent()) { // empty: the administrator switched e-mail off
        Session session = new SmarthostSessionFactory(options).session(settings.get());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("app@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
        message.setSubject("Disk almost full");
        message.setText("Only 2 % left on /var.");
        Transport.send(message);
      }
      // README: end

      assertThat(server).received(1).message(0).hasSubject("Disk almost full").wasEncrypted();
    }
  }

  @Test
  void validatorQuickStart() {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.TLS).start()) {
      SmarthostSettings settings = server.settings();
      SmtpOptions options = server.smtpOptions();

      // README: validator
      ValidationResult result =
          SmtpConnectionValidator.create(options)
              .withDeadline(Duration.ofSeconds(30))
              .validate(settings, TestMessage.of("app@example.org", "admin@example.org"));
      if (!result.ok()) {
        System.out.println(result.failure().get().kind() + ": " + result.failure().get().hint());
      }
      // README: end

      assertThat(result.ok()).as("%s", result).isTrue();
    }
  }
}
