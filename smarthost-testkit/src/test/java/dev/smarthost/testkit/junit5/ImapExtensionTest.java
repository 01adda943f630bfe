package dev.smarthost.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension can give each test a server with GreenMail's IMAP server too. */
@Timeout(30)
class ImapExtensionTest {
  @RegisterExtension
  SmarthostExtension smarthost =
      SmarthostExtension.builder().requireAuth("app", "s3cret-Pässwörd").imap().build();

  @Test
  void theRecipientReadsTheMessageOverImap(SmarthostServer server) throws Exception {
    MimeMessage m = new MimeMessage(server.session());
    m.setFrom(new InternetAddress("app@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("ops@example.org"));
    m.setSubject("read me over IMAP");
    m.setText("x");
    Transport.send(m);
    server.awaitMessages(1, Duration.ofSeconds(5));
    Store imap = Session.getInstance(new Properties()).getStore("imap");
    imap.connect("127.0.0.1", server.imapPort(), "ops@example.org", "ops@example.org");
    try {
      Folder inbox = imap.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      assertThat(inbox.getMessages())
          .singleElement()
          .satisfies(message -> assertThat(message.getSubject()).isEqualTo("read me over IMAP"));
      inbox.close(false);
    } finally {
      imap.close();
    }
  }
}
