package dev.smarthost.benchmarks;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Optional;
import java.util.Random;
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
 * Issue 22: which BDAT chunk size. Messages per second of the mailer (one connection, STARTTLS +
 * AUTH) at 20 ms round trip for messages of 8 KiB (a notification), 200 KiB (one attachment) and 1
 * MiB, with chunks of 16 KiB to 1 MiB. Each chunk size runs in its own fork (the size is read once,
 * when the transaction class loads).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class ChunkSizeBenchmark {
  private static final AtomicLong COUNTER = new AtomicLong();

  /** The server behind the 20 ms proxy, a mailer, and the message of the size asked for. */
  @State(Scope.Benchmark)
  public static class Server {
    @Param({"16", "64", "256", "1024"})
    int chunkKiB;

    @Param({"8", "200", "1024"})
    int messageKiB;

    SmarthostServer server;
    LatencyProxy proxy;
    SmarthostMailer mailer;
    Session session;
    byte[] attachment;

    @Setup(Level.Trial)
    public void start() throws Exception {
      System.setProperty(
          "dev.smarthost.internal.bdatChunkBytes", Integer.toString(chunkKiB * 1024));
      server = Messages.server();
      proxy = LatencyProxy.inFrontOf(server);
      SmarthostSettings distant = proxy.settings(server);
      mailer =
          SmarthostMailer.builder(() -> Optional.of(distant))
              .options(server.smtpOptions())
              .maxConnections(1)
              .maxMessagesPerConnection(100_000)
              .build();
      session = Messages.stockAngus(server);
      // base64 grows it by a third: this many raw bytes make a message of about messageKiB
      attachment = new byte[messageKiB * 1024 * 3 / 4];
      new Random(22).nextBytes(attachment);
    }

    @TearDown(Level.Iteration)
    public void forget() {
      server.reset();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
      mailer.close();
      proxy.close();
      server.close();
    }

    MimeMessage next() throws Exception {
      MimeMessage m = Messages.notification(session, COUNTER.incrementAndGet());
      MimeBodyPart text = new MimeBodyPart();
      text.setText("See the attachment.\n");
      MimeBodyPart file = new MimeBodyPart();
      file.setContent(attachment, "application/octet-stream");
      file.setFileName("report.bin");
      m.setContent(new MimeMultipart(text, file));
      m.saveChanges();
      return m;
    }
  }

  @Benchmark
  @Threads(1)
  public Object rtt20Mailer(Server s) throws Exception {
    return s.mailer.send(s.next());
  }
}
