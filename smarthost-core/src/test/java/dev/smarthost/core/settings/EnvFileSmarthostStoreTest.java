package dev.smarthost.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EnvFileSmarthostStoreTest {
  @TempDir Path dir;

  static Stream<SmarthostSettings> settings() {
    SmarthostSettings.Builder b = SmarthostSettings.builder().host("smtp.example.org");
    return Stream.of(
        b.build(),
        b.encryption(Encryption.NONE).port(25).verifyTls(false).build(),
        b.encryption(Encryption.TLS).port(465).verifyTls(true).credentials("app", "pw").build(),
        b.encryption(Encryption.STARTTLS)
            .port(2525)
            .credentials("ü@example.org", " Pä$$ =#wörd 密码 😀 ")
            .build(),
        SmarthostSettings.builder().host("[2001:db8::25]").port(587).build(),
        SmarthostSettings.builder().host("bücher.example").build());
  }

  @ParameterizedTest
  @MethodSource("settings")
  void whatIsSavedIsWhatTheResolverReads(SmarthostSettings s) {
    Path file = dir.resolve("smarthost.env");
    EnvFileSmarthostStore.of(file).save(s);
    assertThat(EnvFileSmarthostResolver.of(file).resolve()).contains(s);
  }

  /** Security review, item 9: the link stays a link, group and mode stay, never wider than 0640. */
  @Test
  void aSymlinkIsWrittenThroughKeepingGroupAndMode() throws Exception {
    Path real = Files.createDirectories(dir.resolve("etc"));
    Path target = real.resolve("smarthost.env");
    Files.writeString(target, "SMTP_ENABLED=\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw-r--"));
    var group = otherGroupOrOwn(target);
    Files.getFileAttributeView(target, java.nio.file.attribute.PosixFileAttributeView.class)
        .setGroup(group);
    Path link = Files.createSymbolicLink(dir.resolve("app.env"), Path.of("etc/smarthost.env"));

    SmarthostSettings s = SmarthostSettings.builder().host("h").credentials("u", "p").build();
    EnvFileSmarthostStore.of(link).save(s);

    assertThat(Files.isSymbolicLink(link)).isTrue();
    assertThat(EnvFileSmarthostResolver.of(link).resolve()).contains(s);
    assertThat(EnvFileSmarthostResolver.of(target).resolve()).contains(s);
    var attributes =
        Files.readAttributes(target, java.nio.file.attribute.PosixFileAttributes.class);
    assertThat(PosixFilePermissions.toString(attributes.permissions())).isEqualTo("rw-r-----");
    assertThat(attributes.group()).isEqualTo(group);
    try (Stream<Path> files = Files.list(real)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aDirectoryOthersMayWriteToIsRefusedAndTheFileKept() throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    Path file = shared.resolve("smarthost.env");
    Files.writeString(file, "SMTP_ENABLED=\n");
    for (String mode : new String[] {"rwxrwx---", "rwxr-xrwx"}) {
      Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(
              () ->
                  EnvFileSmarthostStore.of(file)
                      .save(SmarthostSettings.builder().host("h").build()))
          .isInstanceOf(dev.smarthost.SmarthostConfigurationException.class)
          .hasMessageContaining("is writable by its group or others")
          .hasMessageContaining("chmod go-w");
      assertThat(Files.readString(file)).isEqualTo("SMTP_ENABLED=\n");
    }
  }

  /** A group other than the file's own when this user may set one (root), else its own. */
  private static java.nio.file.attribute.GroupPrincipal otherGroupOrOwn(Path file)
      throws Exception {
    var own = Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class).group();
    try {
      var daemon =
          file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("daemon");
      Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class)
          .setGroup(daemon);
      return daemon;
    } catch (java.io.IOException e) {
      return own;
    }
  }

  @Test
  void theFileIsReadableByItsOwnerOnly() throws Exception {
    Path file = dir.resolve("smarthost.env");
    EnvFileSmarthostStore.of(file)
        .save(SmarthostSettings.builder().host("h").credentials("u", "p").build());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void disableLeavesNoPassword() throws Exception {
    Path file = dir.resolve("smarthost.env");
    EnvFileSmarthostStore store = EnvFileSmarthostStore.of(file);
    store.save(SmarthostSettings.builder().host("h").credentials("u", "secret").build());
    store.disable();
    assertThat(EnvFileSmarthostResolver.of(file).resolve()).isEmpty();
    assertThat(Files.readString(file)).isEqualTo("SMTP_ENABLED=\n");
  }

  @Test
  void refusesValuesTheFormatCannotCarry() {
    EnvFileSmarthostStore store = EnvFileSmarthostStore.of(dir.resolve("smarthost.env"));
    for (String bad : List.of("line\nbreak", "carriage\rreturn", "nul\0char")) {
      assertThatThrownBy(
              () -> store.save(SmarthostSettings.builder().host("h").credentials("u", bad).build()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("password: the env file cannot hold line breaks or NUL characters");
    }
    assertThat(dir.resolve("smarthost.env")).doesNotExist();
  }

  @Test
  @Timeout(120)
  void aReaderNeverSeesABrokenFileDuringAThousandSaves() throws Exception {
    Path file = dir.resolve("smarthost.env");
    EnvFileSmarthostStore store = EnvFileSmarthostStore.of(file);
    SmarthostSettings a =
        SmarthostSettings.builder().host("a.example").credentials("alice", "x".repeat(300)).build();
    SmarthostSettings b =
        SmarthostSettings.builder()
            .host("bb.example")
            .port(2525)
            .encryption(Encryption.TLS)
            .build();
    store.save(a);
    EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(file);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Set<SmarthostSettings>> reader =
          pool.submit(
              () -> {
                Set<SmarthostSettings> seen = new HashSet<>();
                while (!stop.get()) {
                  seen.add(resolver.resolve().orElseThrow()); // any exception fails the test
                }
                return seen;
              });
      for (int i = 0; i < 1000; i++) {
        store.save(i % 2 == 0 ? b : a);
      }
      stop.set(true);
      assertThat(reader.get(30, TimeUnit.SECONDS)).isSubsetOf(a, b).isNotEmpty();
    } finally {
      stop.set(true);
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
