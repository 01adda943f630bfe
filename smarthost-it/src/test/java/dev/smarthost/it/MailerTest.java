package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostDisabledException;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.send.MailerListener;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.core.settings.EnvironmentSmarthostResolver;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Fault.Step;
import dev.smarthost.testkit.Messages;
import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class MailerTest {
  private static final Session BLANK = Session.getInstance(new Properties());

  static MimeMessage message(String subject, String... to) {
    try {
      return Messages.to(BLANK, subject, to);
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A resolver that always answers with the server's settings. */
  static dev.smarthost.SmarthostResolver fixed(SmarthostSettings settings) {
    return () -> Optional.of(settings);
  }

  static SmarthostMailer.Builder mailer(SmarthostServer server) {
    return SmarthostMailer.builder(fixed(server.settings()))
        .options(server.smtpOptions())
        .retryBackoff(Duration.ofMillis(10));
  }

  static boolean mailerThreadsAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith("smarthost-mailer"));
  }

  @Test
  void reusesOneConnectionForSequentialSends() {
    try (SmarthostServer server =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireAuth("app", "pw")
                .start();
        SmarthostMailer mailer = mailer(server).build()) {
      for (int i = 0; i < 20; i++) {
        SendResult r = mailer.send(message("m" + i));
        assertThat(r.acceptedRecipients()).containsExactly("admin@example.org");
        assertThat(r.attempts()).isEqualTo(1);
        assertThat(r.messageId()).isPresent();
      }
      assertThat(server.awaitMessages(20, Duration.ofSeconds(10)))
          .hasSize(20)
          .allSatisfy(
              m -> {
                assertThat(m.encrypted()).isTrue();
                assertThat(m.authenticatedUser()).contains("app");
              });
      assertThat(server.connectionCount()).isEqualTo(1);
    }
  }

  @Test
  void boundsConnectionsAndReplacesThemAfterMaxMessages() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        SmarthostMailer mailer =
            mailer(server).maxConnections(2).maxMessagesPerConnection(5).build()) {
      List<CompletableFuture<SendResult>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < 40; i++) {
        futures.add(mailer.sendAsync(message("m" + i)));
      }
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
          .get(30, TimeUnit.SECONDS);
      assertThat(server.awaitMessages(40, Duration.ofSeconds(10))).hasSize(40);
      assertThat(server.connectionCount()).isBetween(8, 10); // 40 messages / 5 per connection
      assertThat(mailer.openConnections()).isLessThanOrEqualTo(2);
    }
  }

  @Test
  void followsSettingsChangesWithoutLosingMessages(@TempDir Path dir) throws Exception {
    try (SmarthostServer first = SmarthostServer.builder().encryption(Encryption.NONE).start();
        SmarthostServer second = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      Path env = dir.resolve("smarthost.env");
      first.writeEnvFile(env);
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(EnvFileSmarthostResolver.of(env))
              .options(first.smtpOptions())
              .maxConnections(2)
              .build()) {
        for (int i = 0; i < 10; i++) {
          mailer.send(message("before-" + i));
        }
        second.writeEnvFile(env);
        for (int i = 0; i < 10; i++) {
          assertThat(mailer.send(message("after-" + i)).authority())
              .isEqualTo("localhost:" + second.port());
        }
      }
      assertThat(first.awaitMessages(10, Duration.ofSeconds(5)))
          .extracting(m -> m.subject().orElseThrow())
          .allMatch(s -> s.startsWith("before-"))
          .hasSize(10);
      assertThat(second.awaitMessages(10, Duration.ofSeconds(5)))
          .extracting(m -> m.subject().orElseThrow())
          .allMatch(s -> s.startsWith("after-"))
          .hasSize(10);
    }
  }

  @Test
  void switchedOffFailsAtOnceAndQueuesNothing() throws Exception {
    try (SmarthostMailer mailer =
        SmarthostMailer.builder(EnvironmentSmarthostResolver.of(Map.of("SMTP_ENABLED", "")))
            .build()) {
      assertThatThrownBy(() -> mailer.send(message("x")))
          .isInstanceOf(SmarthostDisabledException.class)
          .hasMessageContaining("e-mail is switched off");
      CompletableFuture<SendResult> f = mailer.sendAsync(message("y"));
      assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SmarthostDisabledException.class);
    }
  }

  @Test
  void permanentFailureIsClassifiedWithTheRejectedRecipients() {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        SmarthostMailer mailer = mailer(server).build()) {
      server.fault(Fault.reject(Step.RCPT, 554, "5.7.1 Relay access denied"));
      assertThatThrownBy(() -> mailer.send(message("x", "out@external.example")))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.RECIPIENT_REJECTED);
                assertThat(e.replyCode()).hasValue(554);
                assertThat(e.rejectedRecipients()).containsExactly("out@external.example");
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(e.getMessage())
                    .contains("localhost:" + server.port())
                    .contains("Relay access denied");
              });
      assertThat(server.receivedMessages()).isEmpty();
    }
  }

  @Test
  void partialAcceptanceIsReportedPerRecipient() {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        SmarthostMailer mailer = mailer(server).build()) {
      server.fault(Fault.rejectRecipient("out@external.example", 554, "5.7.1 Relay access denied"));
      SendResult r =
          mailer.send(message("partial", "a@example.org", "out@external.example", "b@example.org"));
      assertThat(r.partial()).isTrue();
      assertThat(r.acceptedRecipients()).containsExactly("a@example.org", "b@example.org");
      assertThat(r.rejectedRecipients())
          .singleElement()
          .satisfies(
              x -> {
                assertThat(x.address()).isEqualTo("out@external.example");
                assertThat(x.kind()).isEqualTo(FailureKind.RECIPIENT_REJECTED);
                assertThat(x.replyCode()).hasValue(554);
              });
      assertThat(server.awaitMessages(1, Duration.ofSeconds(5)).get(0).recipients())
          .containsExactly("a@example.org", "b@example.org");
    }
  }

  @Test
  void temporaryFailuresAreRetriedOnAnotherConnection() {
    AtomicInteger retries = new AtomicInteger();
    AtomicInteger opened = new AtomicInteger();
    MailerListener counting =
        new MailerListener() {
          @Override
          public void retried(FailureKind kind, int attempt) {
            retries.incrementAndGet();
          }

          @Override
          public void connectionOpened(SmarthostSettings settings) {
            opened.incrementAndGet();
          }
        };
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        SmarthostMailer mailer = mailer(server).listener(counting).build()) {
      server.fault(Fault.reject(Step.MAIL, 421, "4.3.2 Shutting down").times(1));
      assertThat(mailer.send(message("after 421")).attempts()).isEqualTo(2);
      server.fault(Fault.drop(Step.DATA).times(1));
      assertThat(mailer.send(message("after drop")).attempts()).isEqualTo(2);
      server.fault(Fault.reject(Step.RCPT, 451, "4.3.0 Try again").times(5));
      assertThatThrownBy(() -> mailer.send(message("gives up")))
          .isInstanceOfSatisfying(
              SmarthostSendException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(FailureKind.SERVER_UNAVAILABLE);
                assertThat(e.attempts()).isEqualTo(3);
              });
      assertThat(retries.get()).isEqualTo(4);
      assertThat(opened.get())
          .isEqualTo(3); // the first one, and replacements after 421 and the drop
      assertThat(server.awaitMessages(2, Duration.ofSeconds(5)))
          .extracting(m -> m.subject().orElseThrow())
          .containsExactly("after 421", "after drop");
    }
  }

  @Test
  void fullQueueFailsFastAndCloseDrainsThenFailsTheRestExplicitly() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      server.fault(Fault.stall(Step.DATA));
      SmarthostMailer mailer =
          mailer(server)
              .maxConnections(1)
              .queueCapacity(1)
              .closeTimeout(Duration.ofMillis(500))
              .build();
      CompletableFuture<SendResult> running = mailer.sendAsync(message("stalled"));
      Thread.sleep(200); // let it reach the server
      CompletableFuture<SendResult> queued = mailer.sendAsync(message("queued"));
      CompletableFuture<SendResult> refused = mailer.sendAsync(message("refused"));
      assertThatThrownBy(() -> refused.get(1, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SmarthostBusyException.class);

      long start = System.nanoTime();
      mailer.close();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThatThrownBy(() -> queued.get(1, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SmarthostBusyException.class);
      assertThatThrownBy(() -> running.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(SmarthostSendException.class);
      assertThatThrownBy(() -> mailer.send(message("after close")))
          .isInstanceOf(IllegalStateException.class);
      assertThat(server.receivedMessages()).isEmpty();
    }
    Thread.sleep(100);
    assertThat(mailerThreadsAlive()).isFalse();
  }

  @Test
  void closeUnderLoadCompletesEveryFuture() throws Exception {
    List<CompletableFuture<SendResult>> futures = new java.util.ArrayList<>();
    int accepted;
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      SmarthostMailer mailer =
          mailer(server)
              .maxConnections(4)
              .queueCapacity(2000)
              .closeTimeout(Duration.ofMillis(300))
              .build();
      for (int i = 0; i < 2000; i++) {
        futures.add(mailer.sendAsync(message("load-" + i)));
      }
      mailer.close();
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
          .handle((v, e) -> null)
          .get(10, TimeUnit.SECONDS);
      accepted = (int) futures.stream().filter(f -> !f.isCompletedExceptionally()).count();
      long busy =
          futures.stream()
              .filter(CompletableFuture::isCompletedExceptionally)
              .filter(
                  f ->
                      causeOf(f) instanceof SmarthostBusyException
                          || causeOf(f) instanceof SmarthostSendException)
              .count();
      assertThat(accepted + busy).isEqualTo(2000);
      assertThat(server.awaitMessages(accepted, Duration.ofSeconds(10)))
          .hasSizeGreaterThanOrEqualTo(accepted);
    }
    Thread.sleep(100);
    assertThat(mailerThreadsAlive()).isFalse();
  }

  private static Throwable causeOf(CompletableFuture<?> f) {
    try {
      f.getNow(null);
      return null;
    } catch (java.util.concurrent.CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  void tenThousandMessagesWithFaultsEveryFiveHundred() throws Exception {
    int total = 10_000;
    Fault[] faults = {
      Fault.drop(Step.MAIL).times(1),
      Fault.reject(Step.MAIL, 421, "4.3.2 Closing connection").times(1),
      Fault.reject(Step.RCPT, 451, "4.3.0 Temporary failure").times(1)
    };
    AtomicInteger next = new AtomicInteger();
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        SmarthostMailer mailer = mailer(server).maxConnections(4).build()) {
      Runnable sender =
          () -> {
            for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
              if (i > 0 && i % 500 == 0) {
                server.fault(faults[(i / 500) % faults.length]);
              }
              try {
                mailer.send(message("m-" + i));
                ok.incrementAndGet();
              } catch (SmarthostSendException e) {
                failed.incrementAndGet();
              }
            }
          };
      List<Thread> threads =
          List.of(new Thread(sender), new Thread(sender), new Thread(sender), new Thread(sender));
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join(100_000);
        assertThat(t.isAlive()).isFalse();
      }
      assertThat(ok.get() + failed.get()).isEqualTo(total);
      List<ReceivedMessage> received = server.awaitMessages(ok.get(), Duration.ofSeconds(30));
      List<String> subjects =
          received.stream()
              .map(m -> m.subject().orElseThrow())
              .collect(java.util.stream.Collectors.toList());
      assertThat(subjects).doesNotHaveDuplicates().hasSize(ok.get());
      assertThat(failed.get())
          .isZero(); // every fault is temporary and used once: a retry gets through
    }
  }
}
