package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.SmtpFailure;
import dev.smarthost.core.outbox.FileOutbox;
import dev.smarthost.core.outbox.OutboxEntry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file outbox's directory rule, tried as another local user would: a directory of another
 * owner, one writable by group or others, a symbolic link put in place of a subdirectory. Each is
 * refused with the path and the problem, by {@code open} and by the tools that work on a directory
 * without opening it, and nothing is ever read, written or deleted through a link.
 */
@Timeout(60)
class OutboxDirectoryRulesTest {
  private static final int OTHER_UID = 4242;

  @TempDir Path root;

  private static byte[] message(String subject) {
    return ("From: app@example.org\r\nTo: a@example.org\r\nSubject: "
            + subject
            + "\r\n\r\nbody\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Test
  void createsOwnerOnlyDirectoriesAndFiles() throws Exception {
    Path dir = root.resolve("spool");
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      String id = outbox.add(message("one"), List.of("a@example.org"));
      outbox.claimDue(Instant.now(), 1);
      outbox.bury(
          id, List.of("a@example.org"), SmtpFailure.builder(FailureKind.SENDER_REJECTED).build());
    }
    for (String sub : List.of("", "tmp", "pending", "dead", "corrupt", "journal")) {
      assertThat(mode(dir.resolve(sub))).as(sub).isEqualTo("rwx------");
    }
    for (String sub : List.of("journal", "dead")) {
      try (Stream<Path> files = Files.list(dir.resolve(sub))) {
        List<Path> all = files.toList();
        assertThat(all).as(sub).isNotEmpty();
        assertThat(all)
            .allSatisfy(f -> assertThat(mode(f)).as(f.toString()).isEqualTo("rw-------"));
      }
    }
    assertThat(mode(dir.resolve("lock"))).isEqualTo("rw-------");
  }

  @Test
  void aDirectoryWritableByGroupOrOthersIsRefusedByOpenAndTheTools() throws Exception {
    Path dir = root.resolve("spool");
    FileOutbox.open(dir).close();
    Files.setPosixFilePermissions(
        dir.resolve("pending"), PosixFilePermissions.fromString("rwxrwx---"));
    assertThatThrownBy(() -> FileOutbox.open(dir))
        .isInstanceOf(SmarthostOutboxException.class)
        .hasMessageContaining(dir.resolve("pending").toString())
        .hasMessageContaining("writable by its group or others (rwxrwx---)");
    assertThatThrownBy(() -> FileOutbox.inspect(dir).pending())
        .isInstanceOf(SmarthostOutboxException.class)
        .hasMessageContaining("writable by its group or others");
    Files.setPosixFilePermissions(
        dir.resolve("pending"), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx---rwx"));
    assertThatThrownBy(() -> FileOutbox.inspect(dir).purgeDead())
        .isInstanceOf(SmarthostOutboxException.class)
        .hasMessageContaining(dir + " is writable by its group or others");
  }

  @Test
  void aSymbolicLinkInPlaceOfTmpOrDeadIsRefusedAndItsTargetIsNeverTouched() throws Exception {
    Path dir = root.resolve("spool");
    FileOutbox.open(dir).close();
    Path victim = Files.createDirectory(root.resolve("victim"));
    Path precious = Files.writeString(victim.resolve("precious.msg"), "not the outbox's");
    Files.writeString(victim.resolve("precious.state"), "attempts=1");

    // tmp/ is emptied at every open: through a link it emptied the link's target
    Files.delete(dir.resolve("tmp"));
    Files.createSymbolicLink(dir.resolve("tmp"), victim);
    assertThatThrownBy(() -> FileOutbox.open(dir))
        .isInstanceOf(SmarthostOutboxException.class)
        .hasMessageContaining(dir.resolve("tmp") + " is a symbolic link");
    assertThat(precious).exists();

    Files.delete(dir.resolve("tmp"));
    Files.createDirectory(dir.resolve("tmp"));
    Files.delete(dir.resolve("dead"));
    Files.createSymbolicLink(dir.resolve("dead"), victim);
    assertThatThrownBy(() -> FileOutbox.inspect(dir).purgeDead())
        .isInstanceOf(SmarthostOutboxException.class)
        .hasMessageContaining(dir.resolve("dead") + " is a symbolic link");
    assertThatThrownBy(() -> FileOutbox.open(dir)).isInstanceOf(SmarthostOutboxException.class);
    assertThat(precious).exists();
    assertThat(victim.resolve("precious.state")).exists();
  }

  @Test
  void aLinkOrAForeignFileInsidePendingIsNeverTakenIn() throws Exception {
    Path dir = root.resolve("spool");
    String id = deadEntry(dir);
    // a link in pending/ to a well-formed message elsewhere
    Path elsewhere = Files.createDirectory(root.resolve("elsewhere"));
    Files.move(dir.resolve("dead").resolve(id + ".msg"), elsewhere.resolve(id + ".msg"));
    Files.createSymbolicLink(
        dir.resolve("pending").resolve(id + ".msg"), elsewhere.resolve(id + ".msg"));
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      assertThat(outbox.pending()).isEmpty();
      assertThat(FileOutbox.inspect(dir).pending()).isEmpty();
    }
    assertThat(elsewhere.resolve(id + ".msg")).exists();
  }

  @Test
  void aDirectoryOrAMessageOfAnotherUserIsRefused() throws Exception {
    assumeTrue(isRoot(), "only root can make a directory another user owns (CI runs as root)");
    Path dir = root.resolve("spool");
    String id = deadEntry(dir);
    // another user's message in pending/ (as if dropped there): never sent with our login
    Path foreign = dir.resolve("pending").resolve(id + ".msg");
    Files.move(dir.resolve("dead").resolve(id + ".msg"), foreign);
    Files.setAttribute(foreign, "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      assertThat(outbox.pending()).extracting(OutboxEntry::id).doesNotContain(id);
    }

    Files.setAttribute(dir.resolve("pending"), "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
    assertThatThrownBy(() -> FileOutbox.open(dir))
        .isInstanceOf(SmarthostOutboxException.class)
        .hasMessageContaining(dir.resolve("pending") + " is owned by ")
        .hasMessageContaining("not by root");
    assertThatThrownBy(() -> FileOutbox.inspect(dir).retryAll())
        .isInstanceOf(SmarthostOutboxException.class)
        .hasMessageContaining("is owned by");
    Files.setAttribute(dir.resolve("pending"), "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(dir, "unix:uid", OTHER_UID, LinkOption.NOFOLLOW_LINKS);
    assertThatThrownBy(() -> FileOutbox.open(dir))
        .isInstanceOf(SmarthostOutboxException.class)
        .hasMessageContaining(dir + " is owned by ");
  }

  /** An outbox in {@code dir} with one dead entry (its files in {@code dead/}); its id. */
  static String deadEntry(Path dir) {
    try (FileOutbox outbox = FileOutbox.open(dir)) {
      String id = outbox.add(message("dead one"), List.of("a@example.org"));
      outbox.claimDue(Instant.now(), 1);
      outbox.bury(
          id, List.of("a@example.org"), SmtpFailure.builder(FailureKind.SENDER_REJECTED).build());
      return id;
    }
  }

  private static String mode(Path p) {
    try {
      return PosixFilePermissions.toString(
          Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
