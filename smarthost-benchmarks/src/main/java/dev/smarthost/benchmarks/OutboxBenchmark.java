package dev.smarthost.benchmarks;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.outbox.FileOutbox;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The durable outbox: {@code enqueue} rate and latency on this machine's disk (each returned call
 * is written, forced and renamed), and end-to-end delivery through the outbox against the in-memory
 * {@code sendAsync} queue.
 */
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"})
public class OutboxBenchmark {
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final int BATCH = 100;
  private static final int PRODUCERS = 4;

  /**
   * A mailer with a file outbox on the disk (the build directory, not a tmpfs) while e-mail is
   * switched off: enqueue only, as while the smarthost is down (each entry is tried once and
   * rescheduled an hour later, which writes its state file too).
   */
  @State(Scope.Benchmark)
  public static class Accepting {
    Path dir;
    FileOutbox outbox;
    SmarthostMailer mailer;
    Session session = Session.getInstance(new Properties());

    @Setup(Level.Iteration)
    public void open() throws IOException {
      dir = Files.createTempDirectory(onDisk(), "outbox-bench-");
      outbox = FileOutbox.open(dir);
      mailer =
          SmarthostMailer.builder(Optional::empty)
              .outbox(outbox)
              .outboxBackoff(Duration.ofHours(1), Duration.ofHours(1))
              .build();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
      mailer.close();
      outbox.close();
      delete(dir);
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(1)
  public String enqueue1(Accepting a) throws Exception {
    return a.mailer.enqueue(Messages.notification(a.session, COUNTER.incrementAndGet()));
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(4)
  public String enqueue4(Accepting a) throws Exception {
    return a.mailer.enqueue(Messages.notification(a.session, COUNTER.incrementAndGet()));
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Threads(1)
  public String enqueueLatency1(Accepting a) throws Exception {
    return a.mailer.enqueue(Messages.notification(a.session, COUNTER.incrementAndGet()));
  }

  /** The testkit server (STARTTLS + AUTH) and two mailers on it: with an outbox, and without. */
  @State(Scope.Benchmark)
  public static class Delivering {
    SmarthostServer server;
    Path dir;
    FileOutbox outbox;
    SmarthostMailer durable;
    SmarthostMailer inMemory;
    ExecutorService producers;
    Session session = Session.getInstance(new Properties());

    @Setup(Level.Iteration)
    public void start() throws IOException {
      server = Messages.server();
      SmarthostSettings settings = server.settings();
      dir = Files.createTempDirectory(onDisk(), "outbox-e2e-");
      outbox = FileOutbox.open(dir);
      durable =
          SmarthostMailer.builder(() -> Optional.of(settings))
              .options(server.smtpOptions())
              .maxConnections(2)
              .maxMessagesPerConnection(100_000)
              .outbox(outbox)
              .build();
      inMemory =
          SmarthostMailer.builder(() -> Optional.of(settings))
              .options(server.smtpOptions())
              .maxConnections(2)
              .maxMessagesPerConnection(100_000)
              .build();
      producers = Executors.newFixedThreadPool(PRODUCERS);
    }

    @TearDown(Level.Iteration)
    public void stop() throws IOException {
      producers.shutdownNow();
      durable.close();
      inMemory.close();
      outbox.close();
      server.close();
      delete(dir);
    }
  }

  /** 100 messages enqueued, then waited for until the outbox is empty again. */
  @Benchmark
  @Warmup(iterations = 5, time = 3)
  @Measurement(iterations = 10, time = 3)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(1)
  public int outboxDelivered100(Delivering d) throws Exception {
    for (int i = 0; i < BATCH; i++) {
      d.durable.enqueue(Messages.notification(d.session, COUNTER.incrementAndGet()));
    }
    awaitEmpty(d);
    return BATCH;
  }

  /**
   * 100 messages enqueued by 4 application threads at once (25 each: they share the forces, group
   * commit), then waited for until the outbox is empty again.
   */
  @Benchmark
  @Warmup(iterations = 5, time = 3)
  @Measurement(iterations = 10, time = 3)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(1)
  public int outboxDelivered100From4(Delivering d) throws Exception {
    fromProducers(d, d.durable::enqueue);
    awaitEmpty(d);
    return BATCH;
  }

  /** The same 100 from 4 threads through the in-memory queue ({@code sendAsync}), waited for. */
  @Benchmark
  @Warmup(iterations = 5, time = 3)
  @Measurement(iterations = 10, time = 3)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(1)
  public int asyncDelivered100From4(Delivering d) throws Exception {
    List<Object> sent = fromProducers(d, d.inMemory::sendAsync);
    CompletableFuture.allOf(sent.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    d.server.reset();
    return BATCH;
  }

  /** How a benchmark hands one message over: enqueue, or sendAsync. */
  private interface HandOver {
    Object accept(MimeMessage message) throws Exception;
  }

  /** {@link #BATCH} messages handed over by {@link #PRODUCERS} threads at once; what each gave. */
  private static List<Object> fromProducers(Delivering d, HandOver hand) throws Exception {
    List<Future<List<Object>>> all = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      all.add(
          d.producers.submit(
              () -> {
                List<Object> handed = new ArrayList<>();
                for (int i = 0; i < BATCH / PRODUCERS; i++) {
                  handed.add(
                      hand.accept(Messages.notification(d.session, COUNTER.incrementAndGet())));
                }
                return handed;
              }));
    }
    List<Object> handed = new ArrayList<>();
    for (Future<List<Object>> f : all) {
      handed.addAll(f.get(60, TimeUnit.SECONDS));
    }
    return handed;
  }

  private static void awaitEmpty(Delivering d) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (d.outbox.pendingCount() > 0) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("not delivered within 60 s");
      }
      Thread.onSpinWait();
      Thread.sleep(0, 200_000);
    }
    d.server.reset();
  }

  /** The same 100 through the in-memory queue ({@code sendAsync}), waited for. */
  @Benchmark
  @Warmup(iterations = 5, time = 3)
  @Measurement(iterations = 10, time = 3)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(1)
  public int asyncDelivered100(Delivering d) throws Exception {
    List<CompletableFuture<SendResult>> all = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      all.add(d.inMemory.sendAsync(Messages.notification(d.session, COUNTER.incrementAndGet())));
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    d.server.reset();
    return BATCH;
  }

  /** {@code target/} of the working directory: the disk, where /tmp may be memory. */
  static Path onDisk() throws IOException {
    return Files.createDirectories(Path.of("target").toAbsolutePath());
  }

  static void delete(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
