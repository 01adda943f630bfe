package com.example.notify;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.testkit.SmarthostServer;
import dev.smarthost.testkit.junit5.SmarthostTest;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@SmarthostTest(encryption = Encryption.STARTTLS, username = "app", password = "s3cret-Pässwörd")
class NotifierTest {

  @Test
  void anAlertReachesTheSmarthostEncryptedAndAuthenticated(SmarthostServer server)
      throws Exception {
    try (Notifier notifier =
        new Notifier(() -> Optional.of(server.settings()), server.smtpOptions())) {
      notifier.alert("admin@example.com", "Disk almost full", "Only 2 % left on /var.");
    }
    assertThat(server)
        .received(1)
        .message(0)
        .hasSubject("Disk almost full")
        .wasEncrypted()
        .wasAuthenticatedAs("app")
        .wasPipelined()
        .wasChunked();
  }
}
