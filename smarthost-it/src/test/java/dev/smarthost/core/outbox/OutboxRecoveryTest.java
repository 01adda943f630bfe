package dev.smarthost.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.send.MailerListener;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.it.OutboxTest;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Fault.Step;
import dev.smarthost.testkit.SmarthostServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the file outbox does with real damage, real interrupts and real size: forced messages are
 * never discarded by recovery, an interrupt never closes the journal for the others, a malformed
 * state never bricks the outbox, a message the journal cannot hold is refused before it is claimed
 * durable.
 */
@Timeout(120)
class OutboxRecoveryTest {
  @TempDir Path dir;

  static byte[] message(String subject) {
    return ("From: app@example.org\r\nTo: a@example.org\r\nSubject: "
            + subject
            + "\r\n\r\nbody of "
            + subject
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The positions of the records in the journal, as the journal reads them. */
  static List<Journal.Position> records(Path dir) throws Exception {
    List<Journal.Position> list = new ArrayList<>();
    Journal.read(
        dir.resolve("journal"),
        new Journal.Reader() {
          @Override
          public void record(byte type, byte[] payload, Journal.Position at) {
            list.add(at);
          }

          @Override
          public void damaged(long segment, long start, long end, String why) {
            throw new AssertionError("damaged before the test damaged it: " + why);
          }
        });
    return list;
  }

  static Path onlySegment(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
      List<Path> logs = files.filter(p -> Files.isRegularFile(p) && sizeOf(p) > 0).toList();
      assertThat(logs).hasSize(1);
      return logs.get(0);
    }
  }

  static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  List<String> fiveForced() {
    List<String> ids = new ArrayList<>();
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      for (int i = 1; i <= 5; i++) {
        ids.add(outbox.add(message("message " + i), List.of("a@example.org")));
      }
    }
    return ids;
  }

  @Test
  void aFlippedBitInALengthFieldLosesOnlyThatRecordAndIsCopiedAsideWhole() throws Exception {
    List<String> ids = fiveForced();
    Journal.Position second = records(dir).get(1);
    Path segment = onlySegment(dir);
    long size = Files.size(segment);
    byte[] bytes = Files.readAllBytes(segment);
    bytes[(int) second.recordStart() + 4] ^= 0x10; // inside the length field
    Files.write(segment, bytes);
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      assertThat(outbox.pending())
          .extracting(OutboxEntry::id)
          .containsExactly(ids.get(0), ids.get(2), ids.get(3), ids.get(4));
      String name =
          segment.getFileName().toString().replace(".log", "@" + second.recordStart() + ".bin");
      assertThat(outbox.corruptFiles()).containsExactly(name);
      byte[] aside = Files.readAllBytes(dir.resolve("corrupt").resolve(name));
      assertThat(aside)
          .isEqualTo(
              Arrays.copyOfRange(bytes, (int) second.recordStart(), (int) second.recordEnd()));
    }
    assertThat(Files.size(segment)).as("nothing is ever cut").isEqualTo(size);
    try (FileOutbox again = FileOutbox.open(dir)) {
      assertThat(again.pendingCount()).isEqualTo(4);
      assertThat(again.corruptFiles()).hasSize(1); // the same range, one entry
      try (Stream<Path> aside = Files.list(dir.resolve("corrupt"))) {
        assertThat(aside).hasSize(1);
      }
    }
  }

  @Test
  void zerosAtTheEndAreOneDamagedRangeFoundQuickly() throws Exception {
    fiveForced();
    Path segment = onlySegment(dir);
    Files.write(segment, new byte[64 * 1024], java.nio.file.StandardOpenOption.APPEND);
    long start = System.nanoTime();
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(outbox.pendingCount()).isEqualTo(5);
      assertThat(outbox.corruptFiles()).hasSize(1);
      assertThat(took).isLessThan(Duration.ofSeconds(1));
      try (Stream<Path> aside = Files.list(dir.resolve("corrupt"))) {
        assertThat(aside.mapToLong(OutboxRecoveryTest::sizeOf).sum()).isEqualTo(64 * 1024);
      }
    }
  }

  @Test
  void zerosOverOneRecordLoseOnlyThatOne() throws Exception {
    List<String> ids = fiveForced();
    Journal.Position third = records(dir).get(2);
    Path segment = onlySegment(dir);
    byte[] bytes = Files.readAllBytes(segment);
    Arrays.fill(bytes, (int) third.recordStart() + 3, (int) third.recordStart() + 40, (byte) 0);
    Files.write(segment, bytes);
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      assertThat(outbox.pending())
          .extracting(OutboxEntry::id)
          .containsExactly(ids.get(0), ids.get(1), ids.get(3), ids.get(4));
      assertThat(outbox.corruptFiles()).hasSize(1);
    }
  }

  @Test
  void restartsLeaveNoEmptySegmentsBehind() throws Exception {
    fiveForced();
    for (int i = 0; i < 5; i++) {
      FileOutbox.open(dir).close();
    }
    try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
      assertThat(files.filter(p -> sizeOf(p) == 0).count()).isLessThanOrEqualTo(1);
    }
    try (Stream<Path> files = Files.list(dir.resolve("journal"))) {
      assertThat(files.count()).isEqualTo(2); // the five messages' segment and one to write to
    }
  }

  @Test
  void anInterruptInsideEnqueueFailsNothingAndKeepsTheJournalUsable() throws Exception {
    List<String> accepted = new ArrayList<>();
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      Thread.currentThread().interrupt(); // a FileChannel closes itself on an interrupted write
      accepted.add(outbox.add(message("interrupted"), List.of("a@example.org")));
      assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
      accepted.add(outbox.add(message("after"), List.of("a@example.org")));

      // four producers, interrupted at random while they enqueue
      ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch started = new CountDownLatch(4);
      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int n = t;
        Thread p =
            new Thread(
                () -> {
                  started.countDown();
                  for (int i = 0; !stop.get() && i < 2_000; i++) {
                    try {
                      ids.add(outbox.add(message(n + "-" + i), List.of("a@example.org")));
                    } catch (RuntimeException e) {
                      errors.add(e);
                    }
                    Thread.interrupted();
                  }
                });
        p.start();
        producers.add(p);
      }
      started.await();
      long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      int interrupts = 0;
      while (System.nanoTime() < end) {
        producers.get(interrupts++ % 4).interrupt();
        Thread.sleep(0, 200_000);
      }
      stop.set(true);
      for (Thread p : producers) {
        p.join(30_000);
      }
      assertThat(errors).isEmpty();
      accepted.addAll(ids);
      assertThat(outbox.pendingCount()).isEqualTo(accepted.size());
      assertThat(outbox.content(accepted.get(0))).isEqualTo(message("interrupted"));
    }
    try (FileOutbox reopened = FileOutbox.open(dir)) {
      assertThat(reopened.pending())
          .extracting(OutboxEntry::id)
          .containsExactlyInAnyOrderElementsOf(accepted);
      assertThat(reopened.corruptFiles()).isEmpty();
    }
  }

  @Test
  void aMalformedStateInPendingGoesAsideAndTheRestOpens() throws Exception {
    String bad;
    String good;
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      bad = outbox.add(message("bad state"), List.of("a@example.org"));
      good = outbox.add(message("good"), List.of("a@example.org"));
      outbox.claimDue(Instant.now(), 1);
      outbox.bury(
          bad, List.of("a@example.org"), SmtpFailure.builder(FailureKind.SENDER_REJECTED).build());
    }
    assertThat(FileOutbox.inspect(dir).retry(bad)).isTrue(); // moved to pending/ for the next open
    Path state = dir.resolve("pending").resolve(bad + ".state");
    Properties p = new Properties();
    try (var in = Files.newInputStream(state)) {
      p.load(in);
    }
    p.setProperty("attempts", "3x");
    try (var out = Files.newOutputStream(state)) {
      p.store(out, null);
    }
    assertThat(FileOutbox.inspect(dir).pending()).extracting(OutboxEntry::id).containsExactly(good);
    for (int i = 0; i < 2; i++) { // the second open proves nothing bad was appended
      try (FileOutbox outbox = FileOutbox.open(dir)) {
        assertThat(outbox.pending()).extracting(OutboxEntry::id).containsExactly(good);
        if (i == 0) {
          assertThat(outbox.corruptFiles()).containsExactly("pending-" + bad + ".msg");
        }
      }
    }
    assertThat(dir.resolve("corrupt").resolve("pending-" + bad + ".state")).exists();
  }

  @Test
  void aMessageTheJournalCannotHoldIsRefusedBeforeItIsClaimedDurable() throws Exception {
    byte[] huge = new byte[70 << 20];
    Arrays.fill(huge, (byte) 'x');
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      String small = outbox.add(message("small"), List.of("a@example.org"));
      assertThatThrownBy(() -> outbox.add(huge, List.of("a@example.org")))
          .isInstanceOf(SmarthostOutboxException.class)
          .hasMessageContaining("the message has 73400320 bytes")
          .hasMessageContaining("64 MiB")
          .hasMessageContaining("nothing was kept");
      assertThat(outbox.pending()).extracting(OutboxEntry::id).containsExactly(small);
    }
    try (FileOutbox reopened = FileOutbox.open(dir)) {
      assertThat(reopened.pendingCount()).isEqualTo(1);
      assertThat(reopened.corruptFiles()).isEmpty();
    }
  }

  @Test
  void aPendingEntryIsTriedNowOnRequestWithItsBackoffReset() throws Exception {
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      String id = outbox.add(message("later"), List.of("a@example.org"));
      assertThat(outbox.claimDue(Instant.now(), 1)).hasSize(1);
      SmtpFailure busy = SmtpFailure.builder(FailureKind.SERVER_UNAVAILABLE).build();
      outbox.reschedule(id, List.of("a@example.org"), Instant.now().plusSeconds(3600), busy);
      assertThat(outbox.claimDue(Instant.now(), 1)).isEmpty();

      assertThat(outbox.retry(id)).isTrue();
      List<OutboxEntry> due = outbox.claimDue(Instant.now(), 1);
      assertThat(due).extracting(OutboxEntry::id).containsExactly(id);
      assertThat(due.get(0).attempts()).isZero();

      // from outside (the CLI) while the outbox is open: picked up at its next rescan
      outbox.reschedule(id, List.of("a@example.org"), Instant.now().plusSeconds(3600), busy);
      assertThat(FileOutbox.inspect(dir).retry(id)).isTrue();
      outbox.rescan();
      assertThat(outbox.claimDue(Instant.now(), 1)).extracting(OutboxEntry::id).containsExactly(id);
      assertThat(outbox.retry("0000-unknown")).isFalse();
    }
  }

  @Test
  void aDeadEntryThatCannotBeWrittenStaysPendingAndTheListenerHearsSo() throws Exception {
    List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (FileSystem small =
            Jimfs.newFileSystem(
                Configuration.unix().toBuilder()
                    .setMaxSize(512 * 1024)
                    .setBlockSize(4096)
                    .build());
        SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        FileOutbox outbox = FileOutbox.open(small.getPath("/spool"))) {
      AtomicReference<Optional<SmarthostSettings>> settings =
          new AtomicReference<>(Optional.empty());
      try (SmarthostMailer m =
          OutboxTest.mailer(settings, server, outbox)
              .listener(
                  new MailerListener() {
                    @Override
                    public void deadLettered(String id, List<String> r, SmtpFailure reason) {
                      heard.add("dead " + id);
                    }

                    @Override
                    public void deadLetterFailed(
                        String id, List<String> r, SmtpFailure reason, SmarthostOutboxException e) {
                      heard.add("still pending " + id);
                    }
                  })
              .build()) {
        String id = m.enqueue(OutboxTest.message("refused", "a@example.org"));
        Path junk = small.getPath("/junk");
        try (var out = Files.newOutputStream(junk)) {
          byte[] block = new byte[4096];
          while (true) {
            out.write(block); // until the disk is full
          }
        } catch (java.io.IOException full) {
          // full
        }
        server.fault(Fault.reject(Step.MAIL, 553, "5.7.1 Sender address rejected"));
        settings.set(Optional.of(server.settings()));
        OutboxTest.await(
            () -> heard.contains("still pending " + id), Duration.ofSeconds(10), "bury failed");
        assertThat(heard).doesNotContain("dead " + id);
        assertThat(outbox.pending()).extracting(OutboxEntry::id).containsExactly(id);
        assertThat(outbox.dead()).isEmpty();

        Files.delete(junk); // space again: the next attempt buries it, and only then says so
        OutboxTest.await(() -> outbox.dead().size() == 1, Duration.ofSeconds(10), "dead");
        OutboxTest.await(() -> heard.contains("dead " + id), Duration.ofSeconds(5), "heard");
        assertThat(heard.stream().filter(h -> h.startsWith("dead "))).hasSize(1);
        assertThat(outbox.pendingCount()).isZero();
      }
    }
  }
}
