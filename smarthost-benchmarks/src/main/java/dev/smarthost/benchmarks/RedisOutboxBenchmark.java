package dev.smarthost.benchmarks;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.redis.RedisOutbox;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Session;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import redis.clients.jedis.Jedis;

/**
 * The Redis Streams outbox against a real redis-server ({@code /usr/bin/redis-server}, else the one
 * embedded-redis ships, started by the benchmark with {@code appendonly yes, appendfsync
 * everysec}): {@code enqueue} rate, and end to end with two nodes (two mailers on one stream, one
 * testkit server).
 */
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"})
public class RedisOutboxBenchmark {
  private static final AtomicLong COUNTER = new AtomicLong();
  private static final int BATCH = 100;

  /** A redis-server for the trial. */
  @State(Scope.Benchmark)
  public static class Redis {
    Process process;
    URI uri;
    Path dir;

    @Setup(Level.Trial)
    public void start() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      dir = Files.createTempDirectory(OutboxBenchmark.onDisk(), "redis-bench-");
      String binary =
          Files.isExecutable(Path.of("/usr/bin/redis-server"))
              ? "/usr/bin/redis-server"
              : redis.embedded.core.ExecutableProvider.newJarResourceProvider()
                  .get()
                  .getAbsolutePath();
      process =
          new ProcessBuilder(
                  binary,
                  "--port",
                  Integer.toString(port),
                  "--bind",
                  "127.0.0.1",
                  "--save",
                  "",
                  "--appendonly",
                  "yes",
                  "--appendfsync",
                  "everysec",
                  "--dir",
                  dir.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("redis.log").toFile())
              .start();
      uri = URI.create("redis://127.0.0.1:" + port);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (true) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
          if ("PONG".equals(j.ping())) {
            return;
          }
        } catch (RuntimeException e) {
          if (System.nanoTime() > end) {
            throw e;
          }
          Thread.sleep(50);
        }
      }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      OutboxBenchmark.delete(dir);
    }
  }

  /**
   * One node accepting while e-mail is switched off (each entry tried once, then an hour later).
   */
  @State(Scope.Benchmark)
  public static class Accepting {
    RedisOutbox outbox;
    SmarthostMailer mailer;
    Session session = Session.getInstance(new Properties());
    String stream = "bench/" + COUNTER.incrementAndGet();

    @Setup(Level.Iteration)
    public void open(Redis redis) {
      outbox = RedisOutbox.builder(redis.uri).stream(stream).build();
      mailer =
          SmarthostMailer.builder(Optional::empty)
              .outbox(outbox)
              .outboxBackoff(Duration.ofHours(1), Duration.ofHours(1))
              .build();
    }

    @TearDown(Level.Iteration)
    public void close(Redis redis) {
      mailer.close();
      outbox.close();
      try (Jedis j = new Jedis(redis.uri)) {
        j.del(stream);
      }
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(1)
  public String redisEnqueue1(Accepting a) throws Exception {
    return a.mailer.enqueue(Messages.notification(a.session, COUNTER.incrementAndGet()));
  }

  /** Two nodes (each 2 connections) on one stream, one testkit server (STARTTLS + AUTH). */
  @State(Scope.Benchmark)
  public static class TwoNodes {
    SmarthostServer server;
    RedisOutbox a;
    RedisOutbox b;
    SmarthostMailer nodeA;
    SmarthostMailer nodeB;
    Session session = Session.getInstance(new Properties());
    String stream = "bench/" + COUNTER.incrementAndGet();

    @Setup(Level.Iteration)
    public void start(Redis redis) throws IOException {
      server = Messages.server();
      SmarthostSettings settings = server.settings();
      a = RedisOutbox.builder(redis.uri).stream(stream).consumer("a").build();
      b = RedisOutbox.builder(redis.uri).stream(stream).consumer("b").build();
      nodeA = node(settings, a);
      nodeB = node(settings, b);
    }

    private SmarthostMailer node(SmarthostSettings settings, RedisOutbox outbox) {
      return SmarthostMailer.builder(() -> Optional.of(settings))
          .options(server.smtpOptions())
          .maxConnections(2)
          .maxMessagesPerConnection(100_000)
          .outbox(outbox)
          .build();
    }

    @TearDown(Level.Iteration)
    public void stop(Redis redis) {
      nodeA.close();
      nodeB.close();
      a.close();
      b.close();
      server.close();
      try (Jedis j = new Jedis(redis.uri)) {
        j.del(stream);
      }
    }
  }

  /** 100 messages enqueued on node A, delivered by both nodes, waited for. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Threads(1)
  public int redisTwoNodesDelivered100(TwoNodes t) throws Exception {
    for (int i = 0; i < BATCH; i++) {
      t.nodeA.enqueue(Messages.notification(t.session, COUNTER.incrementAndGet()));
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (t.a.pendingCount() > 0) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException("not delivered within 60 s");
      }
      Thread.sleep(1);
    }
    t.server.reset();
    return BATCH;
  }
}
