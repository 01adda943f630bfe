package dev.smarthost.spring.docs;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import dev.smarthost.spring.test.AutoConfigureSmarthostServer;
import dev.smarthost.testkit.SmarthostServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

// README: spring test
@SpringBootTest
@AutoConfigureSmarthostServer
class NotificationsTest {
  @Autowired Notifications notifications;
  @Autowired SmarthostServer server;

  @Test
  void warnsTheAdministrator() {
    notifications.diskAlmostFull("/var");
    assertThat(server).received(1).message(0).hasSubject("Disk almost full: /var").wasEncrypted();
  }

  @Test
  void everyTestStartsWithAnEmptyServer() {
    notifications.diskAlmostFull("/srv");
    assertThat(server).received(1).message(0).hasSubject("Disk almost full: /srv");
  }
}
// README: end
