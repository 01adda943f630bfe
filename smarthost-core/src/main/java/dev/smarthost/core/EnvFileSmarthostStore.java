package dev.smarthost.core;

import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Writes the cluster's {@code smarthost.env} format, as {@link EnvFileSmarthostResolver} reads it:
 * a temporary file in the same directory (mode 0600: it holds the password), flushed to disk, then
 * renamed over the old one, so that readers see the old file or the new one, never half of one.
 * Values that the format cannot carry (a line break or NUL, e.g. in a password) are refused.
 */
public final class EnvFileSmarthostStore implements SmarthostStore {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final Path path;

  private EnvFileSmarthostStore(Path path) {
    this.path = path;
  }

  /**
   * Creates a store for a file.
   *
   * @param path the env file; its directory must exist
   * @return the store
   */
  public static EnvFileSmarthostStore of(Path path) {
    return new EnvFileSmarthostStore(Objects.requireNonNull(path, "path"));
  }

  @Override
  public void save(SmarthostSettings settings) {
    String user = settings.username().orElse("");
    String password = settings.password().orElse("");
    writable("username", user);
    writable("password", password);
    write(
        "SMTP_ENABLED=1\n"
            + "SMTP_HOST="
            + settings.host()
            + "\n"
            + "SMTP_PORT="
            + settings.port()
            + "\n"
            + "SMTP_USERNAME="
            + user
            + "\n"
            + "SMTP_PASSWORD="
            + password
            + "\n"
            + "SMTP_ENCRYPTION="
            + settings.encryption().configValue()
            + "\n"
            + "SMTP_TLSVERIFY="
            + (settings.verifyTls() ? "1" : "")
            + "\n");
  }

  /** Writes {@code SMTP_ENABLED=} and nothing else: no password stays behind. */
  @Override
  public void disable() {
    write("SMTP_ENABLED=\n");
  }

  private static void writable(String field, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          field + ": the env file cannot hold line breaks or NUL characters");
    }
  }

  private void write(String content) {
    Path dir = path.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, OWNER_ONLY);
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the directory's permissions must protect the file
      }
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      try {
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot rename atomically", e);
      }
    } catch (IOException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original failure matters
        }
      }
      throw SmarthostConfigurationException.forSource(
          path.toString(), "cannot write: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "EnvFileSmarthostStore{" + path + "}";
  }
}
