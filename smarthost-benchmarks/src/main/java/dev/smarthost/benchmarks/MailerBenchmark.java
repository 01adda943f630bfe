package dev.smarthost.benchmarks;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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

/**
 * Messages per second through the testkit server on loopback, STARTTLS + AUTH: the smarthost
 * mailer, one reused stock Angus transport per thread, and stock {@code Transport.send()} per
 * message (a new connection, handshake and login each time, as Spring's JavaMailSender does).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class MailerBenchmark {
  private static final AtomicLong COUNTER = new AtomicLong();

  /** One server and one mailer for all threads. */
  @State(Scope.Benchmark)
  public static class Server {
    SmarthostServer server;
    SmarthostMailer mailer;
    Session stock;

    @Setup(Level.Trial)
    public void start() throws Exception {
      server = Messages.server();
      SmarthostSettings settings = server.settings();
      mailer =
          SmarthostMailer.builder(() -> Optional.of(settings))
              .options(server.smtpOptions())
              .maxConnections(4)
              .maxMessagesPerConnection(100_000)
              .build();
      stock = Messages.stockAngus(server);
    }

    @TearDown(Level.Iteration)
    public void forget() {
      server.reset(); // GreenMail keeps every message in memory
    }

    @TearDown(Level.Trial)
    public void stop() {
      mailer.close();
      server.close();
    }
  }

  static Transport connected(Session session) throws Exception {
    Transport transport = session.getTransport();
    transport.connect();
    return transport;
  }

  static void sendOne(Server s, Transport transport) throws Exception {
    var m = Messages.notification(s.stock, COUNTER.incrementAndGet());
    transport.sendMessage(m, m.getAllRecipients());
  }

  /** One stock Angus transport per benchmark thread, connected once. */
  @State(Scope.Thread)
  public static class Reused {
    Transport transport;

    @Setup(Level.Trial)
    public void connect(Server s) throws Exception {
      transport = connected(s.stock);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      transport.close();
    }
  }

  @Benchmark
  @Threads(1)
  public Object mailer1(Server s) throws Exception {
    return s.mailer.send(Messages.notification(s.stock, COUNTER.incrementAndGet()));
  }

  @Benchmark
  @Threads(4)
  public Object mailer4(Server s) throws Exception {
    return s.mailer.send(Messages.notification(s.stock, COUNTER.incrementAndGet()));
  }

  @Benchmark
  @Threads(1)
  public void reusedTransport1(Server s, Reused r) throws Exception {
    sendOne(s, r.transport);
  }

  @Benchmark
  @Threads(4)
  public void reusedTransport4(Server s, Reused r) throws Exception {
    sendOne(s, r.transport);
  }

  /** One transport of a smarthost Session per thread: the configuration's cost without the pool. */
  @State(Scope.Thread)
  public static class ReusedSmarthost {
    Transport transport;

    @Setup(Level.Trial)
    public void connect(Server s) throws Exception {
      transport = connected(s.server.session());
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      transport.close();
    }
  }

  @Benchmark
  @Threads(1)
  public void reusedSmarthostTransport1(Server s, ReusedSmarthost r) throws Exception {
    sendOne(s, r.transport);
  }

  /**
   * The same, with Angus' write timeout on a {@code ScheduledThreadPoolExecutor} instead of the
   * smarthost scheduler: the cost that scheduler removes (docs/configuration.md, "What
   * SmtpProperties sets").
   */
  @State(Scope.Thread)
  public static class ReusedWithThreadPoolTimer {
    ScheduledThreadPoolExecutor timer;
    Transport transport;

    @Setup(Level.Trial)
    public void connect(Server s) throws Exception {
      timer = new ScheduledThreadPoolExecutor(1);
      timer.setRemoveOnCancelPolicy(true);
      Session session = s.server.session();
      session.getProperties().put("mail.smtp.executor.writetimeout", timer);
      transport = connected(session);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      transport.close();
      timer.shutdownNow();
    }
  }

  @Benchmark
  @Threads(1)
  public void reusedSmarthostThreadPoolTimer1(Server s, ReusedWithThreadPoolTimer r)
      throws Exception {
    sendOne(s, r.transport);
  }

  @Benchmark
  @Threads(1)
  public void transportSend1(Server s) throws Exception {
    Transport.send(Messages.notification(s.stock, COUNTER.incrementAndGet()));
  }

  @Benchmark
  @Threads(4)
  public void transportSend4(Server s) throws Exception {
    Transport.send(Messages.notification(s.stock, COUNTER.incrementAndGet()));
  }
}
