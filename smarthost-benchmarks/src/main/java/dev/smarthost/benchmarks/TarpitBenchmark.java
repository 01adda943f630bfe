package dev.smarthost.benchmarks;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Blocking calls against a tarpit (accepts, never answers), each with a 500 ms bound: a Session's
 * {@code Transport.send} (read timeout), and {@code SmarthostMailer.send} with one attempt. The
 * validator's deadline is measured by {@link ValidatorBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class TarpitBenchmark {
  /** The bound every call is held to. */
  public static final Duration BOUND = Duration.ofMillis(500);

  SmarthostServer tarpit;
  Session session;
  SmarthostMailer mailer;

  @Setup(Level.Trial)
  public void start() {
    tarpit = SmarthostServer.builder().encryption(Encryption.NONE).start();
    tarpit.fault(Fault.NO_GREETING); // accepts, never answers
    SmarthostSettings settings =
        SmarthostSettings.builder()
            .host("127.0.0.1")
            .port(tarpit.port())
            .encryption(Encryption.NONE)
            .build();
    SmtpOptions options = SmtpOptions.builder().readTimeout(BOUND).build();
    session = new SmarthostSessionFactory(options).session(settings);
    mailer =
        SmarthostMailer.builder(() -> Optional.of(settings))
            .options(options)
            .maxAttempts(1)
            .build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    mailer.close();
    tarpit.close();
  }

  @Benchmark
  public Object sessionTransportSend() throws Exception {
    try {
      Transport.send(Messages.notification(session, 1));
      throw new IllegalStateException("a tarpit cannot accept mail");
    } catch (MessagingException expected) {
      return expected;
    }
  }

  @Benchmark
  public Object mailerSend() throws Exception {
    try {
      mailer.send(Messages.notification(session, 1));
      throw new IllegalStateException("a tarpit cannot accept mail");
    } catch (dev.smarthost.SmarthostSendException expected) {
      return expected;
    }
  }
}
