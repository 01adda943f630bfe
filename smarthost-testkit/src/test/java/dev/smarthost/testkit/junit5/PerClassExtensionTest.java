package dev.smarthost.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Message;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PerClassExtensionTest {
  @RegisterExtension
  static SmarthostExtension smarthost =
      SmarthostExtension.builder().encryption(Encryption.NONE).perClass().build();

  private static SmarthostServer first;

  @Test
  @Order(1)
  void firstTestLeavesMailAndAFault(SmarthostServer server) throws Exception {
    first = server;
    MimeMessage m = new MimeMessage(server.session());
    m.setFrom(new InternetAddress("a@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("b@example.org"));
    m.setText("x");
    Transport.send(m);
    server.fault(Fault.NO_GREETING);
    assertThat(server.receivedMessages()).hasSize(1);
  }

  @Test
  @Order(2)
  void secondTestGetsTheSameServerReset(SmarthostServer server) {
    assertThat(server).isSameAs(first);
    assertThat(server.receivedMessages()).isEmpty();
    assertThat(server.faults()).isEmpty();
  }
}
