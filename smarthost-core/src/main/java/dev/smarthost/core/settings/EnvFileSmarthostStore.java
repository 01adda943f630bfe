package dev.smarthost.core.settings;

import dev.smarthost.SettingsCodec;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Writes the cluster's {@code smarthost.env} format, as {@link EnvFileSmarthostResolver} reads it:
 * a temporary file in the same directory, flushed to disk, then renamed over the old one, so that
 * readers see the old file or the new one, never half of one. Values that the format cannot carry
 * (a line break or NUL, e.g. in a password) are refused.
 *
 * <p>A symbolic link is written through: the new file replaces the link's target (renamed in the
 * target's directory) and the link stays. The new file keeps the old one's group and mode, never
 * wider than 0640 (it holds the password); a new file is 0600. A directory that its group or others
 * may write to is refused: anyone who can write there can replace the file.
 */
public final class EnvFileSmarthostStore implements SmarthostStore {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> AT_MOST =
      PosixFilePermissions.fromString("rw-r-----");

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
    writable("username", settings.username().orElse(""));
    writable("password", settings.password().orElse(""));
    write(lines(SettingsCodec.ENV_FILE.encode(settings)));
  }

  /** Writes {@code SMTP_ENABLED=} and nothing else: no password stays behind. */
  @Override
  public void disable() {
    write(lines(SettingsCodec.ENV_FILE.encodeDisabled()));
  }

  /** The env file's text for these values: {@code KEY=value} lines, verbatim. */
  static String lines(Map<String, String> values) {
    StringBuilder text = new StringBuilder();
    values.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return text.toString();
  }

  private static void writable(String field, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          field + ": the env file cannot hold line breaks or NUL characters");
    }
  }

  private void write(String content) {
    Path tmp = null;
    try {
      Path target = target(path);
      Path dir =
          Objects.requireNonNull(target.toAbsolutePath().getParent(), "a file has a directory");
      refuseSharedDirectory(dir);
      PosixFileAttributes old = existing(target);
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      if (old != null) {
        Set<PosixFilePermission> mode = EnumSet.noneOf(PosixFilePermission.class);
        mode.addAll(old.permissions());
        mode.retainAll(AT_MOST);
        mode.add(PosixFilePermission.OWNER_READ);
        mode.add(PosixFilePermission.OWNER_WRITE);
        Files.setPosixFilePermissions(tmp, mode);
        if (!Files.readAttributes(tmp, PosixFileAttributes.class).group().equals(old.group())) {
          Files.getFileAttributeView(tmp, PosixFileAttributeView.class).setGroup(old.group());
        }
      } else {
        try {
          Files.setPosixFilePermissions(tmp, OWNER_ONLY);
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the directory's permissions must protect the file
        }
      }
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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

  /** The file a symbolic link (or a chain of them) points to; the path itself otherwise. */
  private static Path target(Path path) throws IOException {
    Path current = path;
    for (int hops = 0; Files.isSymbolicLink(current); hops++) {
      if (hops == 40) {
        throw new IOException("too many levels of symbolic links");
      }
      Path link = Files.readSymbolicLink(current);
      Path parent = current.toAbsolutePath().getParent();
      current = parent == null ? link : parent.resolve(link);
    }
    return current;
  }

  private static void refuseSharedDirectory(Path dir) throws IOException {
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(dir);
    } catch (UnsupportedOperationException e) {
      return; // not POSIX: nothing to check
    }
    if (mode.contains(PosixFilePermission.GROUP_WRITE)
        || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(
          "the directory "
              + dir
              + " is writable by its group or others, who could replace the file; make it"
              + " writable by its owner only (chmod go-w)");
    }
  }

  private static @Nullable PosixFileAttributes existing(Path target) throws IOException {
    try {
      return Files.readAttributes(target, PosixFileAttributes.class);
    } catch (NoSuchFileException e) {
      return null;
    } catch (UnsupportedOperationException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "EnvFileSmarthostStore{" + path + "}";
  }
}
