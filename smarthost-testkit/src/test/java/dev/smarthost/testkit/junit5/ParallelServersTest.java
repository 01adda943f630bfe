package dev.smarthost.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Message;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Eight tests at the same time (the barrier lets none finish before all eight are running), each
 * with its own STARTTLS + AUTH server: each sees exactly its own message.
 */
@Execution(ExecutionMode.CONCURRENT)
@SmarthostTest(encryption = Encryption.STARTTLS, username = "app", password = "s3cret-Pässwörd")
@Timeout(60)
class ParallelServersTest {
  static final CyclicBarrier ALL_RUNNING = new CyclicBarrier(8);

  @RepeatedTest(8)
  void eachConcurrentTestHasItsOwnServer(SmarthostServer server, RepetitionInfo repetition)
      throws Exception {
    ALL_RUNNING.await(30, TimeUnit.SECONDS); // times out unless 8 tests run at once
    String subject = "test " + repetition.getCurrentRepetition();
    MimeMessage m = new MimeMessage(server.session());
    m.setFrom(new InternetAddress("app@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
    m.setSubject(subject);
    m.setText("concurrent");
    Transport.send(m);
    assertThat(server.awaitMessages(1, Duration.ofSeconds(10)))
        .singleElement()
        .satisfies(r -> assertThat(r.subject()).hasValue(subject));
    assertThat(server.receivedMessages()).hasSize(1);
  }
}
