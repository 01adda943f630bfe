package dev.smarthost.benchmarks;

import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * {@code EnvFileSmarthostResolver.resolve()} on an unchanged file: watched (a subscriber exists,
 * memory only), unwatched (one stat per call), and a fresh resolver that parses the file each time.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ResolverBenchmark {
  Path dir;
  Path file;
  EnvFileSmarthostResolver unwatched;
  EnvFileSmarthostResolver watched;
  AutoCloseable subscription;

  @Setup(Level.Trial)
  public void write() throws Exception {
    dir = Files.createTempDirectory("smarthost-bench");
    file = dir.resolve("smarthost.env");
    Files.write(
        file,
        ("SMTP_ENABLED=1\nSMTP_HOST=smtp.example.org\nSMTP_PORT=587\nSMTP_USERNAME=app\n"
                + "SMTP_PASSWORD=s3cret with = and #\nSMTP_ENCRYPTION=starttls\nSMTP_TLSVERIFY=1\n")
            .getBytes(StandardCharsets.UTF_8));
    unwatched = EnvFileSmarthostResolver.of(file);
    watched = EnvFileSmarthostResolver.of(file);
    subscription = watched.subscribe(change -> {});
  }

  @TearDown(Level.Trial)
  public void delete() throws Exception {
    subscription.close();
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public Optional<?> cachedWatched() {
    return watched.resolve();
  }

  @Benchmark
  public Optional<?> cachedUnwatched() {
    return unwatched.resolve();
  }

  @Benchmark
  public Optional<?> freshParse() {
    return EnvFileSmarthostResolver.of(file).resolve();
  }
}
