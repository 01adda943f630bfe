package dev.smarthost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.FailureKind;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.outbox.FileOutbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code smarthost outbox} on a directory that breaks the rules, a malformed state, a pending
 * entry.
 */
@Timeout(60)
class CliOutboxTest {
  @TempDir Path dir;

  private static byte[] message() {
    return "From: app@example.org\r\nSubject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void aDirectoryOthersCanWriteIsRefusedInOneLine() throws Exception {
    Path spool = dir.resolve("spool");
    FileOutbox.open(spool).close();
    Files.setPosixFilePermissions(
        spool.resolve("dead"), PosixFilePermissions.fromString("rwxrwxrwx"));
    for (String action : List.of("list", "retry-all", "purge-dead")) {
      CliRun r = CliRun.of("outbox", action, "--dir", spool.toString());
      assertThat(r.exit).as(action).isEqualTo(ExitCodes.FAILED);
      assertThat(r.err.strip())
          .as(action)
          .isEqualTo(
              "smarthost: outbox refused: "
                  + spool.resolve("dead")
                  + " is writable by its group or others (rwxrwxrwx), who could put messages"
                  + " there; make it owner-only (chmod 700)");
    }
  }

  @Test
  void aMalformedStateIsNoStackTraceAndAPendingEntryCanBeRetriedNow() throws Exception {
    Path spool = dir.resolve("spool");
    String waiting;
    String bad;
    try (FileOutbox outbox = FileOutbox.open(spool)) {
      bad = outbox.add(message(), List.of("a@example.org"));
      waiting = outbox.add(message(), List.of("b@example.org"));
      outbox.claimDue(Instant.now(), 2);
      outbox.bury(
          bad, List.of("a@example.org"), SmtpFailure.builder(FailureKind.SENDER_REJECTED).build());
      outbox.reschedule(
          waiting,
          List.of("b@example.org"),
          Instant.now().plusSeconds(3600),
          SmtpFailure.builder(FailureKind.SERVER_UNAVAILABLE).build());
    }
    assertThat(CliRun.of("outbox", "retry", bad, "--dir", spool.toString()).exit).isZero();
    Path state = spool.resolve("pending").resolve(bad + ".state");
    Files.writeString(state, Files.readString(state).replaceAll("attempts=\\d+", "attempts=3x"));

    CliRun list = CliRun.of("outbox", "list", "--dir", spool.toString());
    assertThat(list.exit).as(list.err).isZero();
    assertThat(list.err).isEmpty();
    assertThat(list.out).contains("Pending: 1").contains(waiting).doesNotContain("Exception");

    CliRun now = CliRun.of("outbox", "retry", waiting, "--dir", spool.toString());
    assertThat(now.exit).as(now.err).isZero();
    assertThat(now.out.strip()).isEqualTo("Retrying " + waiting + " now");
    try (FileOutbox outbox = FileOutbox.open(spool)) { // the request is taken at the next open
      assertThat(outbox.claimDue(Instant.now(), 5))
          .extracting(e -> e.id())
          .containsExactly(waiting);
      assertThat(outbox.corruptFiles()).containsExactly("pending-" + bad + ".msg");
    }
  }
}
