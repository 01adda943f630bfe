package dev.smarthost.testkit.assertj;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.SmarthostServer;
import dev.smarthost.testkit.junit5.SmarthostTest;
import jakarta.mail.Message;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@SmarthostTest(encryption = Encryption.STARTTLS, username = "app", password = "s3cret-Pässwörd")
class SmarthostAssertionsTest {

  private static void send(SmarthostServer server, String subject) throws Exception {
    send(server.session(), subject);
  }

  private static void send(jakarta.mail.Session session, String subject) throws Exception {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("app@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
    m.setSubject(subject);
    m.setHeader("X-Ticket", "42");
    m.setText("Disk almost full");
    Transport.send(m);
  }

  @Test
  void passesOnWhatArrived(SmarthostServer server) throws Exception {
    assertThat(server).receivedNothing();
    send(server, "Alert");
    assertThat(server)
        .received(1)
        .allEncrypted()
        .message(0)
        .hasSubject("Alert")
        .hasRecipient("admin@example.org")
        .hasEnvelopeSender("app@example.org")
        .hasHeader("X-Ticket", "42")
        .hasBodyContaining("almost full")
        .wasEncrypted()
        .wasAuthenticatedAs("app")
        .wasPipelined()
        .wasChunked();
  }

  @Test
  void failsWithWhatArrived(SmarthostServer server) throws Exception {
    send(server, "Alert");
    assertThatThrownBy(() -> assertThat(server).within(Duration.ofMillis(200)).received(2))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("subject=Alert");
    assertThatThrownBy(() -> assertThat(server).received(1).message(0).hasSubject("Other"))
        .hasMessageContaining("expected subject <Other> but was <Alert>");
    assertThatThrownBy(() -> assertThat(server).received(1).message(0).wasNotEncrypted())
        .hasMessageContaining("expected clear text but the message arrived over TLS");
    assertThatThrownBy(() -> assertThat(server).received(1).message(0).wasAuthenticatedAs("bob"))
        .hasMessageContaining("authenticated as <app>");
    assertThatThrownBy(
            () -> assertThat(server).received(1).message(0).hasRecipient("x@example.org"))
        .hasMessageContaining("[admin@example.org]");
    assertThatThrownBy(() -> assertThat(server).received(1).message(1))
        .hasMessageContaining("no message 1");
    assertThatThrownBy(() -> assertThat(server).receivedNothing())
        .hasMessageContaining("expected no message but 1 arrived");
    SmtpOptions lockstep =
        server.smtpOptions().toBuilder().pipelining(false).chunking(false).build();
    send(new SmarthostSessionFactory(lockstep).session(server.settings()), "Lockstep");
    assertThatThrownBy(() -> assertThat(server).received(2).message(1).wasPipelined())
        .hasMessageContaining("but it waited for each reply");
    assertThatThrownBy(() -> assertThat(server).received(2).message(1).wasChunked())
        .hasMessageContaining("but it came with DATA");
  }
}
