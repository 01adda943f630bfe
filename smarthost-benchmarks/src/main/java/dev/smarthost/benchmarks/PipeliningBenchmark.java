package dev.smarthost.benchmarks;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 22: messages per second over reused connections (STARTTLS + AUTH) to the testkit server
 * behind a {@link LatencyProxy} with 10 ms each way (20 ms round trip, a nearby cloud smarthost),
 * and on loopback. The mailer (PIPELINING + CHUNKING) against one raw reused stock Angus transport
 * per connection, 1 and 4 connections, 1 and 5 recipients; on loopback the mailer against itself
 * with both switched off (the conversation before issue 22).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 4, time = 3)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class PipeliningBenchmark {
  /** The proxy's delay each way. */
  static final int ONE_WAY_DELAY_MILLIS = 10;

  private static final AtomicLong COUNTER = new AtomicLong();

  /** The server, the proxy in front of it, and the mailers. */
  @State(Scope.Benchmark)
  public static class Server {
    @Param({"1", "5"})
    int recipients;

    SmarthostServer server;
    LatencyProxy proxy;
    SmarthostMailer distant1;
    SmarthostMailer distant4;
    SmarthostMailer loopback;
    SmarthostMailer loopbackLockstep;
    Session distantAngus;
    Session messages;

    @Setup(Level.Trial)
    public void start() throws Exception {
      server = Messages.server();
      proxy = LatencyProxy.inFrontOf(server);
      SmarthostSettings distant = proxy.settings(server);
      distant1 = mailer(distant, server.smtpOptions(), 1);
      distant4 = mailer(distant, server.smtpOptions(), 4);
      loopback = mailer(server.settings(), server.smtpOptions(), 1);
      SmtpOptions off = server.smtpOptions().toBuilder().pipelining(false).chunking(false).build();
      loopbackLockstep = mailer(server.settings(), off, 1);
      distantAngus = Messages.stockAngus(server, proxy.port());
      messages = Messages.stockAngus(server);
    }

    private static SmarthostMailer mailer(
        SmarthostSettings settings, SmtpOptions options, int connections) {
      return SmarthostMailer.builder(() -> Optional.of(settings))
          .options(options)
          .maxConnections(connections)
          .maxMessagesPerConnection(100_000)
          .build();
    }

    @TearDown(Level.Iteration)
    public void forget() {
      server.reset(); // GreenMail keeps every message in memory
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      distant1.close();
      distant4.close();
      loopback.close();
      loopbackLockstep.close();
      proxy.close();
      server.close();
    }

    jakarta.mail.internet.MimeMessage next() throws Exception {
      return Messages.notification(messages, COUNTER.incrementAndGet(), recipients);
    }
  }

  /** One raw stock Angus transport per benchmark thread, through the proxy, connected once. */
  @State(Scope.Thread)
  public static class DistantAngus {
    Transport transport;

    @Setup(Level.Trial)
    public void connect(Server s) throws Exception {
      transport = s.distantAngus.getTransport();
      transport.connect();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
      transport.close();
    }
  }

  @Benchmark
  @Threads(1)
  public Object rtt20Mailer1(Server s) throws Exception {
    return s.distant1.send(s.next());
  }

  @Benchmark
  @Threads(1)
  public void rtt20Angus1(Server s, DistantAngus a) throws Exception {
    var m = s.next();
    a.transport.sendMessage(m, m.getAllRecipients());
  }

  @Benchmark
  @Threads(4)
  public Object rtt20Mailer4(Server s) throws Exception {
    return s.distant4.send(s.next());
  }

  @Benchmark
  @Threads(4)
  public void rtt20Angus4(Server s, DistantAngus a) throws Exception {
    var m = s.next();
    a.transport.sendMessage(m, m.getAllRecipients());
  }

  @Benchmark
  @Threads(1)
  public Object loopbackMailer1(Server s) throws Exception {
    return s.loopback.send(s.next());
  }

  @Benchmark
  @Threads(1)
  public Object loopbackLockstepMailer1(Server s) throws Exception {
    return s.loopbackLockstep.send(s.next());
  }
}
