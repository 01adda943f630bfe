package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.redis.RedisSmarthostResolver;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Messages;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every public blocking call against a tarpit (the testkit with NO_GREETING: accepts, never
 * answers) returns within its bound. The bounds asserted here are generous; the validator's
 * precision is measured by ValidatorBenchmark (1.002 × its deadline).
 */
@Timeout(60)
class TimeoutGuaranteesTest {

  /** The testkit with NO_GREETING: accepts connections and never writes a byte. */
  static SmarthostServer tarpit() {
    SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
    server.fault(Fault.NO_GREETING);
    return server;
  }

  static SmarthostSettings settings(SmarthostServer tarpit) {
    return SmarthostSettings.builder()
        .host("127.0.0.1")
        .port(tarpit.port())
        .encryption(Encryption.NONE)
        .build();
  }

  static Duration time(ThrowingRunnable r) throws Exception {
    long start = System.nanoTime();
    r.run();
    return Duration.ofNanos(System.nanoTime() - start);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void validatorHoldsItsDeadline() throws Exception {
    try (SmarthostServer tarpit = tarpit()) {
      SmarthostSettings s = settings(tarpit);
      ValidationResult[] r = new ValidationResult[1];
      Duration took =
          time(
              () ->
                  r[0] =
                      SmtpConnectionValidator.create(SmtpOptions.defaults())
                          .withDeadline(Duration.ofMillis(800))
                          .validate(s));
      assertThat(r[0].failure().orElseThrow().kind()).isEqualTo(FailureKind.NO_GREETING);
      assertThat(took).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void mailerSendEndsAfterItsAttemptsReadTimeouts() throws Exception {
    try (SmarthostServer tarpit = tarpit()) {
      SmarthostSettings s = settings(tarpit);
      SmtpOptions quick = SmtpOptions.builder().readTimeout(Duration.ofMillis(400)).build();
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(s))
              .options(quick)
              .maxAttempts(2)
              .retryBackoff(Duration.ofMillis(10))
              .build()) {
        Duration took =
            time(
                () ->
                    assertThatThrownBy(() -> mailer.send(MailerTest.message("x")))
                        .isInstanceOfSatisfying(
                            SmarthostSendException.class,
                            e -> {
                              assertThat(e.kind()).isEqualTo(FailureKind.NO_GREETING);
                              assertThat(e.attempts()).isEqualTo(2);
                            }));
        assertThat(took).isLessThan(Duration.ofSeconds(5)); // 2 × 400 ms + backoff
      }
    }
  }

  /**
   * A server that trickles an endless multi-line greeting, one byte every 300 ms: no read ever
   * waits past the 1 s read timeout, so only the mailer's send timeout ends the send (before it
   * existed, the same server held a send for 17.4 s and would have held it forever).
   */
  @Test
  void mailerSendHoldsItsSendTimeoutAgainstATricklingServer() throws Exception {
    try (TricklingServer trickle = new TricklingServer(Duration.ofMillis(300))) {
      SmarthostSettings s =
          SmarthostSettings.builder()
              .host("127.0.0.1")
              .port(trickle.port())
              .encryption(Encryption.NONE)
              .build();
      SmtpOptions oneSecond =
          SmtpOptions.builder()
              .connectTimeout(Duration.ofSeconds(1))
              .readTimeout(Duration.ofSeconds(1))
              .writeTimeout(Duration.ofSeconds(1))
              .build();
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(s))
              .options(oneSecond)
              .sendTimeout(Duration.ofSeconds(2))
              .build()) {
        Duration took =
            time(
                () ->
                    assertThatThrownBy(() -> mailer.send(MailerTest.message("x")))
                        .isInstanceOfSatisfying(
                            SmarthostSendException.class,
                            e -> {
                              assertThat(e.kind()).isEqualTo(FailureKind.READ_TIMEOUT);
                              assertThat(e.getMessage()).contains("send timeout");
                            }));
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(4));

        Duration asyncTook =
            time(
                () ->
                    assertThat(mailer.sendAsync(MailerTest.message("y")))
                        .failsWithin(Duration.ofSeconds(10))
                        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                        .havingCause()
                        .isInstanceOfSatisfying(
                            SmarthostSendException.class,
                            e -> assertThat(e.kind()).isEqualTo(FailureKind.READ_TIMEOUT)));
        assertThat(asyncTook).isLessThan(Duration.ofSeconds(4));
      }
      assertThat(trickle.connections()).isPositive();
    }
  }

  @Test
  void sendTimeoutMustBePositive() {
    assertThatThrownBy(
            () -> SmarthostMailer.builder(Optional::empty).sendTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sendTimeout:");
  }

  @Test
  void sessionTransportEndsAfterItsReadTimeout() throws Exception {
    try (SmarthostServer tarpit = tarpit()) {
      SmarthostSettings s = settings(tarpit);
      var session =
          new SmarthostSessionFactory(
                  SmtpOptions.builder().readTimeout(Duration.ofMillis(400)).build())
              .session(s);
      Duration took =
          time(
              () ->
                  assertThatThrownBy(() -> Transport.send(Messages.simple(session, "x")))
                      .hasRootCauseInstanceOf(java.net.SocketTimeoutException.class));
      assertThat(took).isLessThan(Duration.ofSeconds(3));
    }
  }

  /** A server that stops reading: writes block once the socket buffers are full. */
  @Test
  void writesEndAfterTheWriteTimeoutWhenTheServerStopsReading() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder().encryption(Encryption.STARTTLS).start()) {
      server.fault(Fault.DATA_NOT_READ);
      SmtpOptions quick =
          SmtpOptions.builder()
              .trustStore(server.trustStore())
              .writeTimeout(Duration.ofMillis(500))
              .build();
      var session = new SmarthostSessionFactory(quick).session(server.settings());
      MimeMessage big = Messages.simple(session, "big");
      // 24 MB: under the SIZE the testkit offers, far more than the socket buffers take unread
      big.setText(("x".repeat(76) + "\r\n").repeat(300_000));
      big.saveChanges();

      Duration took =
          time(
              () ->
                  assertThatThrownBy(() -> Transport.send(big))
                      .isInstanceOf(MessagingException.class)
                      .hasStackTraceContaining("Write timed out"));
      assertThat(took).isLessThan(Duration.ofSeconds(10));

      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(server.settings()))
              .options(quick)
              .maxAttempts(1)
              .build()) {
        took =
            time(
                () ->
                    assertThatThrownBy(() -> mailer.send(big))
                        .isInstanceOfSatisfying(
                            SmarthostSendException.class,
                            e -> assertThat(e.kind()).isEqualTo(FailureKind.READ_TIMEOUT)));
        assertThat(took).isLessThan(Duration.ofSeconds(10));
      }
      assertThat(server.receivedMessages()).isEmpty();
    }
  }

  @Test
  void redisResolverEndsAfterItsTimeout() throws Exception {
    try (SmarthostServer tarpit = tarpit();
        RedisSmarthostResolver redis =
            RedisSmarthostResolver.builder(URI.create("redis://127.0.0.1:" + tarpit.port()))
                .timeout(Duration.ofMillis(400))
                .build()) {
      Duration took =
          time(
              () ->
                  assertThatThrownBy(redis::resolve)
                      .isInstanceOf(SmarthostConfigurationException.class)
                      .hasMessageContaining("Redis is unreachable"));
      assertThat(took).isLessThan(Duration.ofSeconds(3));
    }
  }
}
