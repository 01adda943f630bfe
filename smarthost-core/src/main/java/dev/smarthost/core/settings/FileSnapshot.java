package dev.smarthost.core.settings;

import dev.smarthost.SmarthostConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One version of a file that its writer replaces atomically (write {@code .tmp}, rename): the
 * content and the stamp (size, modification time, file key) that belong together.
 */
final class FileSnapshot {
  private static final int READ_ATTEMPTS = 5;

  public final Stamp stamp;
  public final byte @Nullable [] content;

  private FileSnapshot(Stamp stamp, byte @Nullable [] content) {
    this.stamp = stamp;
    this.content = content;
  }

  /**
   * Reads the file so that content and stamp match: a stamp that changed while reading means read
   * again.
   *
   * @return the snapshot ({@code content} null if the file does not exist), or null if the file
   *     kept changing
   * @throws SmarthostConfigurationException if the file cannot be read
   */
  public static @Nullable FileSnapshot read(Path path, Stamp before) {
    Stamp stamp = before;
    for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
      if (!stamp.exists()) {
        return new FileSnapshot(stamp, null);
      }
      byte[] content;
      try {
        content = Files.readAllBytes(path);
      } catch (NoSuchFileException e) {
        content = null;
      } catch (IOException e) {
        throw SmarthostConfigurationException.forSource(
            path.toString(), "cannot read: " + e.getMessage(), e);
      }
      Stamp after = Stamp.of(path);
      if (after.equals(stamp) && content != null) {
        return new FileSnapshot(stamp, content);
      }
      stamp = after;
    }
    return null;
  }

  /**
   * What identifies one version of a file without reading it.
   *
   * @param exists whether the file exists
   * @param size its size, or a negative number when it is missing or unreadable
   * @param modifiedNanos its modification time
   * @param fileKey its identity on disk (inode), if the file system has one
   */
  record Stamp(boolean exists, long size, long modifiedNanos, @Nullable Object fileKey) {
    static final Stamp MISSING = new Stamp(false, -1, -1, null);

    static Stamp of(Path path) {
      try {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        return new Stamp(
            true, a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), a.fileKey());
      } catch (NoSuchFileException e) {
        return MISSING;
      } catch (IOException e) {
        // Unreadable attributes: a stamp equal to nothing forces a read, which reports the problem.
        return new Stamp(true, -2, System.nanoTime(), null);
      }
    }
  }
}
