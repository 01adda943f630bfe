package dev.smarthost.it;

import static dev.smarthost.testkit.Messages.simple;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Debug output goes through SLF4J (slf4j-simple writes to System.err here) with AUTH masked. */
@Timeout(30)
class DebugLoggingTest {
  private static final String PASSWORD = "Marker-Pässwörd-4711";

  @Test
  void protocolTraceIsLoggedWithoutThePassword() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.NONE)
            .requireAuth("app", PASSWORD)
            .start()) {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Transport.send(
          simple(
              new SmarthostSessionFactory(server.smtpOptions().toBuilder().debug(true).build())
                  .session(server.settings()),
              "traced"));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log)
        .contains("dev.smarthost.smtp")
        .contains("EHLO")
        .contains("MAIL FROM:<app@example.org>");
    String plain =
        Base64.getEncoder().encodeToString(("\0app\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    String login = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
    assertThat(log).doesNotContain(PASSWORD).doesNotContain(plain).doesNotContain(login);
  }
}
