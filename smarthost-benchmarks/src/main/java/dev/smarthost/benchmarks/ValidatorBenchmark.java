package dev.smarthost.benchmarks;

import dev.smarthost.Encryption;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.SmarthostServer;
import java.time.Duration;
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
 * How long a check takes against a tarpit that greets only after a minute, with a 500 ms deadline
 * and read timeouts far longer than that: the deadline must end it, within 10 %.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class ValidatorBenchmark {
  /** The deadline the benchmark holds the validator to. */
  public static final Duration DEADLINE = Duration.ofMillis(500);

  SmarthostServer tarpit;
  SmtpConnectionValidator validator;

  @Setup(Level.Trial)
  public void start() {
    tarpit = SmarthostServer.builder().encryption(Encryption.NONE).start();
    tarpit.fault(Fault.slowGreeting(Duration.ofMinutes(1)));
    validator = SmtpConnectionValidator.create(tarpit.smtpOptions()).withDeadline(DEADLINE);
  }

  @TearDown(Level.Trial)
  public void stop() {
    tarpit.close();
  }

  @Benchmark
  public ValidationResult validateAgainstTarpit() {
    ValidationResult r = validator.validate(tarpit.settings());
    if (r.ok()) {
      throw new IllegalStateException("a tarpit cannot pass: " + r);
    }
    return r;
  }
}
