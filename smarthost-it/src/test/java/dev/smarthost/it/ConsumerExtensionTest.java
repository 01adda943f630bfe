package dev.smarthost.it;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.testkit.Messages;
import dev.smarthost.testkit.SmarthostServer;
import dev.smarthost.testkit.junit5.SmarthostTest;
import jakarta.mail.Transport;
import org.junit.jupiter.api.Test;

/** What an application's test looks like: the whole test is five lines (docs/testkit.md). */
// README: testkit
@SmarthostTest(encryption = Encryption.STARTTLS, username = "app", password = "s3cret")
class ConsumerExtensionTest {

  @Test
  void notificationReachesTheSmarthost(SmarthostServer server) throws Exception {
    Transport.send(Messages.simple(server.session(), "Disk almost full"));
    assertThat(server)
        .received(1)
        .message(0)
        .hasSubject("Disk almost full")
        .wasEncrypted()
        .wasAuthenticatedAs("app");
  }
}
// README: end
