package dev.smarthost.spring;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;

import dev.smarthost.spring.test.AutoConfigureSmarthostServer;
import dev.smarthost.testkit.SmarthostServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mail.javamail.JavaMailSender;

/** The same configuration as {@link SpringTestIsolationTest}: Spring reuses its context. */
@SpringBootTest(classes = SpringTestIsolationTest.App.class)
@AutoConfigureSmarthostServer
class SpringTestIsolationSecondTest {
  @Autowired JavaMailSender mail;
  @Autowired SmarthostServer server;

  @Test
  void anotherClassSharingTheContextSeesOnlyItsOwnMessage() {
    SpringTestIsolationTest.SERVERS.add(server);
    SpringTestIsolationTest.sendOne(mail, "from the second class");
    assertThat(server).received(1).message(0).hasSubject("from the second class");
    org.assertj.core.api.Assertions.assertThat(SpringTestIsolationTest.SERVERS).hasSize(1);
  }
}
