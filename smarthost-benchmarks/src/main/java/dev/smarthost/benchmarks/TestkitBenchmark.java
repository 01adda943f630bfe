package dev.smarthost.benchmarks;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.smarthost.Encryption;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
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
 * What the testkit costs an application's test suite, next to GreenMail alone (issue 16): one test
 * = start a server, send one message, wait for it, stop; and its parts, start + stop and one send.
 * The testkit runs STARTTLS with required AUTH; GreenMail plain SMTP without AUTH (what its own
 * extension gives). Sample time, so that RESULTS.md can report medians.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class TestkitBenchmark {
  static final String USER = "app";
  static final String PASSWORD = "bench-Pässwörd";

  SmarthostServer server;
  GreenMail greenMail;
  Session greenMailSession;

  @Setup(Level.Trial)
  public void start() {
    server = starttlsServer();
    greenMail = greenMail();
    greenMailSession = plainSession(greenMail.getSmtp().getPort());
  }

  @TearDown(Level.Trial)
  public void stop() {
    server.close();
    greenMail.stop();
  }

  static SmarthostServer starttlsServer() {
    return SmarthostServer.builder()
        .encryption(Encryption.STARTTLS)
        .requireAuth(USER, PASSWORD)
        .start();
  }

  static GreenMail greenMail() {
    GreenMail g = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    g.start();
    return g;
  }

  static Session plainSession(int port) {
    Properties p = new Properties();
    p.setProperty("mail.smtp.host", "127.0.0.1");
    p.setProperty("mail.smtp.port", Integer.toString(port));
    p.setProperty("mail.smtp.localhost", "bench.example");
    return Session.getInstance(p);
  }

  static MimeMessage message(Session session) throws Exception {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("app@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
    m.setSubject("Disk almost full");
    m.setText("Only 2 % left on /var.");
    return m;
  }

  /** Start and stop a STARTTLS + AUTH testkit server. */
  @Benchmark
  public void startStopTestkit() {
    starttlsServer().close();
  }

  /** Start and stop GreenMail's plain SMTP server. */
  @Benchmark
  public void startStopGreenMail() {
    greenMail().stop();
  }

  /** One message through {@code server.session()}: connect, STARTTLS, AUTH, send, QUIT. */
  @Benchmark
  public void sendTestkit() throws Exception {
    Transport.send(message(server.session()));
    server.reset();
  }

  /** One message to GreenMail: connect, send, QUIT. */
  @Benchmark
  public void sendGreenMail() throws Exception {
    Transport.send(message(greenMailSession));
    greenMail.purgeEmailFromAllMailboxes();
  }

  /** One application test on its own testkit server. */
  @Benchmark
  public void oneTestTestkit() throws Exception {
    try (SmarthostServer s = starttlsServer()) {
      Transport.send(message(s.session()));
      if (s.awaitMessages(1, Duration.ofSeconds(5)).size() != 1) {
        throw new IllegalStateException("one message expected");
      }
    }
  }

  /** One application test on its own GreenMail server. */
  @Benchmark
  public void oneTestGreenMail() throws Exception {
    GreenMail g = greenMail();
    try {
      Transport.send(message(plainSession(g.getSmtp().getPort())));
      if (!g.waitForIncomingEmail(5_000, 1)) {
        throw new IllegalStateException("one message expected");
      }
    } finally {
      g.stop();
    }
  }
}
