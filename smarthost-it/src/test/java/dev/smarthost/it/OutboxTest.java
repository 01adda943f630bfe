package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostBusyException;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.outbox.FileOutbox;
import dev.smarthost.core.outbox.OutboxEntry;
import dev.smarthost.core.send.MailerListener;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Fault.Step;
import dev.smarthost.testkit.Messages;
import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The file outbox with real SMTP: outages, permanent and partial failures, bounds, damage. */
@Timeout(120)
// public: the outbox recovery tests in dev.smarthost.core.outbox (which read the journal) share
// these helpers
public class OutboxTest {
  @TempDir Path dir;

  public static MimeMessage message(String subject, String... to) throws Exception {
    return Messages.to(Session.getInstance(new Properties()), subject, to);
  }

  /** A message as the outbox stores it. */
  static byte[] bytes(String subject) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    message(subject, "a@example.org").writeTo(out, new String[] {"Bcc", "Content-Length"});
    return out.toByteArray();
  }

  public static SmarthostMailer.Builder mailer(
      AtomicReference<Optional<SmarthostSettings>> settings, SmarthostServer trust, FileOutbox o) {
    return SmarthostMailer.builder(settings::get)
        .options(trust.smtpOptions())
        .outbox(o)
        .maxAttempts(1)
        .outboxBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
  }

  public static void await(BooleanSupplier condition, Duration max, String what) throws Exception {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("not within " + max + ": " + what);
      }
      Thread.sleep(20);
    }
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void enqueuedWhileTheSmarthostIsDownIsDeliveredWhenItComesUp() throws Exception {
    int port = freePort();
    try (SmarthostServer trust = SmarthostServer.builder().encryption(Encryption.NONE).start();
        FileOutbox outbox = FileOutbox.open(dir.resolve("outbox"))) {
      SmarthostSettings down =
          SmarthostSettings.builder()
              .host("localhost")
              .port(port)
              .encryption(Encryption.NONE)
              .build();
      AtomicReference<Optional<SmarthostSettings>> settings =
          new AtomicReference<>(Optional.of(down));
      try (SmarthostMailer m = mailer(settings, trust, outbox).build()) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          ids.add(m.enqueue(message("down-" + i, "admin@example.org")));
        }
        assertThat(ids).doesNotHaveDuplicates();
        await(
            () -> outbox.pending().stream().allMatch(e -> e.attempts() >= 1),
            Duration.ofSeconds(10),
            "a first failed attempt");
        assertThat(outbox.pending().get(0).lastFailure().orElseThrow().kind())
            .isEqualTo(FailureKind.CONNECTION_REFUSED);
        assertThat(outbox.dead()).isEmpty();
        try (SmarthostServer up =
            SmarthostServer.builder().encryption(Encryption.NONE).port(port).start()) {
          List<ReceivedMessage> got = up.awaitMessages(5, Duration.ofSeconds(20));
          assertThat(got).extracting(r -> r.subject().orElse("")).contains("down-0", "down-4");
          await(() -> outbox.pendingCount() == 0, Duration.ofSeconds(5), "pending cleared");
          assertThat(outbox.pending()).isEmpty();
        }
      }
    }
  }

  @Test
  void aPermanentFailureIsDeadWithItsReasonAndCanBeRetried() throws Exception {
    List<String> buried = new CopyOnWriteArrayList<>();
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        FileOutbox outbox = FileOutbox.open(dir)) {
      server.fault(Fault.reject(Step.MAIL, 553, "5.7.1 Sender address rejected").times(1));
      AtomicReference<Optional<SmarthostSettings>> s =
          new AtomicReference<>(Optional.of(server.settings()));
      try (SmarthostMailer m =
          mailer(s, server, outbox)
              .listener(
                  new MailerListener() {
                    @Override
                    public void deadLettered(String id, List<String> r, SmtpFailure reason) {
                      buried.add(id + " " + reason.kind());
                    }
                  })
              .build()) {
        String id = m.enqueue(message("refused", "admin@example.org"));
        await(() -> outbox.dead().size() == 1, Duration.ofSeconds(10), "dead");
        OutboxEntry dead = outbox.dead().get(0);
        assertThat(dead.id()).isEqualTo(id);
        assertThat(dead.lastFailure().orElseThrow().kind()).isEqualTo(FailureKind.SENDER_REJECTED);
        assertThat(dead.lastFailure().orElseThrow().reply())
            .hasValue("553 5.7.1 Sender address rejected");
        assertThat(buried).containsExactly(id + " SENDER_REJECTED");
        assertThat(outbox.pendingCount()).isZero();
        assertThat(server.receivedMessages()).isEmpty();

        assertThat(outbox.retry(id)).isTrue(); // the fault was used once: now it goes through
        assertThat(server.awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
        await(() -> outbox.pendingCount() == 0, Duration.ofSeconds(5), "delivered");
        assertThat(outbox.dead()).isEmpty();
        assertThat(outbox.retry("no-such-id")).isFalse();
      }
    }
  }

  @Test
  void aMessageOverTheServersSizeLimitIsDeadAtOnceWithThatReason() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        FileOutbox outbox = FileOutbox.open(dir)) {
      server.fault(Fault.reject(Step.MAIL, 552, "5.3.4 Message size exceeds fixed limit"));
      AtomicReference<Optional<SmarthostSettings>> s =
          new AtomicReference<>(Optional.of(server.settings()));
      try (SmarthostMailer m = mailer(s, server, outbox).build()) {
        m.enqueue(message("huge", "admin@example.org"));
        await(() -> outbox.dead().size() == 1, Duration.ofSeconds(10), "dead");
        SmtpFailure why = outbox.dead().get(0).lastFailure().orElseThrow();
        assertThat(why.kind()).isEqualTo(FailureKind.MESSAGE_TOO_LARGE);
        assertThat(why.reply()).hasValue("552 5.3.4 Message size exceeds fixed limit");
        assertThat(why.hint()).contains("size limit");
        assertThat(outbox.dead().get(0).attempts()).isEqualTo(1);
      }
    }
  }

  @Test
  void aPartialDeliveryKeepsOnlyTheFailedRecipientsPendingOrDead() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        FileOutbox outbox = FileOutbox.open(dir)) {
      server.fault(
          Fault.rejectRecipient("gone@example.org", 550, "5.1.1 No such user"),
          Fault.rejectRecipient("later@example.org", 451, "4.3.0 Try again").times(1));
      AtomicReference<Optional<SmarthostSettings>> s =
          new AtomicReference<>(Optional.of(server.settings()));
      try (SmarthostMailer m = mailer(s, server, outbox).build()) {
        m.enqueue(message("partial", "ok@example.org", "gone@example.org", "later@example.org"));
        List<ReceivedMessage> got = server.awaitMessages(2, Duration.ofSeconds(10));
        assertThat(got.get(0).recipients()).containsExactly("ok@example.org");
        assertThat(got.get(1).recipients()).containsExactly("later@example.org");
        await(() -> outbox.pendingCount() == 0, Duration.ofSeconds(5), "pending cleared");
        assertThat(outbox.dead()).hasSize(1);
        assertThat(outbox.dead().get(0).recipients()).containsExactly("gone@example.org");
        assertThat(outbox.dead().get(0).lastFailure().orElseThrow().replyCode()).hasValue(550);
      }
    }
  }

  @Test
  void temporaryFailuresPastTheMaximumAgeAreDead() throws Exception {
    int port = freePort();
    try (SmarthostServer trust = SmarthostServer.builder().start();
        FileOutbox outbox = FileOutbox.open(dir)) {
      AtomicReference<Optional<SmarthostSettings>> s =
          new AtomicReference<>(
              Optional.of(SmarthostSettings.builder().host("localhost").port(port).build()));
      try (SmarthostMailer m =
          mailer(s, trust, outbox).outboxMaxAge(Duration.ofMillis(400)).build()) {
        m.enqueue(message("expires", "admin@example.org"));
        await(() -> outbox.dead().size() == 1, Duration.ofSeconds(10), "expired");
        SmtpFailure why = outbox.dead().get(0).lastFailure().orElseThrow();
        assertThat(why.kind()).isEqualTo(FailureKind.CONNECTION_REFUSED);
        assertThat(why.hint()).startsWith("Given up after PT0.4S of temporary failures");
        assertThat(outbox.dead().get(0).attempts()).isGreaterThan(1);
      }
    }
  }

  @Test
  void boundedLockedAndDamageIsMovedAside() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      AtomicReference<Optional<SmarthostSettings>> off = new AtomicReference<>(Optional.empty());
      try (FileOutbox outbox = FileOutbox.builder(dir).maxMessages(2).open();
          SmarthostMailer m = mailer(off, server, outbox).build()) {
        m.enqueue(message("one", "a@example.org"));
        m.enqueue(message("two", "a@example.org"));
        assertThatThrownBy(() -> m.enqueue(message("three", "a@example.org")))
            .isInstanceOf(SmarthostBusyException.class)
            .hasMessageContaining("the outbox is full (2 messages");
        assertThat(outbox.pending()).hasSize(2);
        // one process at a time
        assertThatThrownBy(() -> FileOutbox.open(dir))
            .isInstanceOf(SmarthostOutboxException.class)
            .hasMessageContaining("in use by another process");
        // e-mail switched off is temporary: still pending, never dead
        await(
            () -> outbox.pending().stream().allMatch(e -> e.attempts() >= 1),
            Duration.ofSeconds(10),
            "attempted while off");
        assertThat(outbox.dead()).isEmpty();
      }
      // damage the first message's record while closed: reported and copied aside, the other is
      // delivered
      Path segment;
      try (var files = Files.list(dir.resolve("journal"))) {
        segment =
            files.filter(p -> p.toString().endsWith(".log")).sorted().findFirst().orElseThrow();
      }
      byte[] bytes = Files.readAllBytes(segment);
      bytes[200] ^= 0x20; // inside the first record (an accepted message is ~500 bytes)
      Files.write(segment, bytes);
      try (FileOutbox reopened = FileOutbox.open(dir)) {
        String name = segment.getFileName().toString().replace(".log", "@0.bin");
        assertThat(reopened.corruptFiles()).containsExactly(name);
        assertThat(Files.exists(dir.resolve("corrupt").resolve(name))).isTrue();
        assertThat(reopened.pending()).hasSize(1);
        AtomicReference<Optional<SmarthostSettings>> on =
            new AtomicReference<>(Optional.of(server.settings()));
        try (SmarthostMailer m = mailer(on, server, reopened).build()) {
          assertThat(server.awaitMessages(1, Duration.ofSeconds(10)).get(0).subject())
              .hasValue("two");
        }
      }
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        assertThat(
                PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("pending"))))
            .isEqualTo("rwx------");
      }
    }
  }

  @Test
  void aFullDiskFailsEnqueueAndLeavesNothingHalfWritten() throws Exception {
    try (FileSystem small =
            Jimfs.newFileSystem(
                Configuration.unix().toBuilder().setMaxSize(64 * 1024).setBlockSize(4096).build());
        SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      Path root = small.getPath("/spool");
      AtomicReference<Optional<SmarthostSettings>> off = new AtomicReference<>(Optional.empty());
      try (FileOutbox outbox = FileOutbox.open(root);
          SmarthostMailer m = mailer(off, server, outbox).build()) {
        m.enqueue(message("fits", "a@example.org"));
        MimeMessage big = message("too big", "a@example.org");
        big.setText("x".repeat(200_000), "UTF-8");
        assertThatThrownBy(() -> m.enqueue(big))
            .isInstanceOf(SmarthostOutboxException.class)
            .hasMessageContaining("cannot store the message durably")
            .hasMessageContaining("nothing was kept");
        assertThat(outbox.pendingCount()).isEqualTo(1);
        assertThat(outbox.pending()).extracting(e -> e.size()).hasSize(1);
      }
      // nothing half-written: a fresh open replays exactly the one accepted message
      try (FileOutbox again = FileOutbox.open(root)) {
        assertThat(again.pendingCount()).isEqualTo(1);
        assertThat(again.corruptFiles()).isEmpty();
      }
    }
  }

  @Test
  void aThousandFromFourThreadsWithFaultsAreAllDeliveredOrDeadWithAReason() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        FileOutbox outbox = FileOutbox.open(dir)) {
      List<Fault> faults = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        faults.add(Fault.rejectRecipient("dead-" + i + "@example.org", 550, "5.1.1 No such user"));
      }
      faults.add(Fault.reject(Step.DATA, 451, "4.3.0 Try again later").times(10));
      faults.add(Fault.drop(Step.RCPT).times(5));
      server.fault(faults.toArray(new Fault[0]));
      AtomicReference<Optional<SmarthostSettings>> s =
          new AtomicReference<>(Optional.of(server.settings()));
      try (SmarthostMailer m = mailer(s, server, outbox).maxConnections(4).build()) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int thread = t;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 250; i++) {
                      int n = thread * 250 + i;
                      String to =
                          n % 100 == 0
                              ? "dead-" + n / 100 + "@example.org"
                              : "u" + n + "@example.org";
                      m.enqueue(message("m" + n, to));
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        await(
            () -> outbox.pendingCount() == 0,
            Duration.ofSeconds(60),
            "all delivered or dead; pending " + outbox.pendingCount());
        List<OutboxEntry> dead = outbox.dead();
        assertThat(dead).hasSize(10);
        assertThat(dead)
            .allSatisfy(d -> assertThat(d.lastFailure().orElseThrow().replyCode()).hasValue(550));
        Set<String> subjects = new HashSet<>();
        for (ReceivedMessage r : server.receivedMessages()) {
          subjects.add(r.subject().orElse(""));
        }
        assertThat(subjects).hasSize(990);
        assertThat(subjects.size() + dead.size()).isEqualTo(1000);
      }
    }
  }

  @Test
  void enqueueWithoutAnOutboxSaysHowToConfigureOne() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().start();
        SmarthostMailer m = SmarthostMailer.builder(() -> Optional.of(server.settings())).build()) {
      assertThatThrownBy(() -> m.enqueue(message("x", "a@example.org")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(".outbox(FileOutbox.open(dir))");
    }
    assertThat("x".getBytes(StandardCharsets.UTF_8)).hasSize(1);
  }
}
