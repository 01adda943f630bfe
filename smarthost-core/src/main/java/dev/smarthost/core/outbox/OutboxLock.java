package dev.smarthost.core.outbox;

import dev.smarthost.SmarthostOutboxException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * The one process that has an outbox directory open: an exclusive lock on its {@code lock} file,
 * created owner-only and never through a link. The operating system releases it when the process
 * dies, so a crash never leaves the directory locked.
 */
final class OutboxLock implements AutoCloseable {
  private final FileChannel channel;

  private OutboxLock(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Makes the directory private (see {@link OutboxDirectory#secure}) and locks it.
   *
   * @throws SmarthostOutboxException if it is not private, cannot be created, or is locked
   */
  static OutboxLock acquire(Path dir) {
    FileChannel channel;
    try {
      OutboxDirectory.secure(dir);
      Path lockFile = dir.resolve("lock");
      channel =
          FileChannel.open(
              lockFile,
              Set.of(
                  StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
              PrivateFiles.fileAttributes(lockFile));
    } catch (PrivateFiles.InsecureException e) {
      throw new SmarthostOutboxException("outbox refused: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new SmarthostOutboxException("outbox " + dir + ": cannot create it (" + e + ")", e);
    }
    OutboxLock lock = new OutboxLock(channel);
    FileLock held;
    try {
      held = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      held = null;
    } catch (IOException e) {
      lock.close();
      throw new SmarthostOutboxException("outbox " + dir + ": cannot lock it (" + e + ")", e);
    }
    if (held == null) {
      lock.close();
      throw new SmarthostOutboxException(
          "outbox " + dir + ": in use by another process (or already open here); one at a time",
          null);
    }
    return lock;
  }

  /** Releases the lock. */
  @Override
  public void close() {
    try {
      channel.close(); // releases the lock
    } catch (IOException | RuntimeException e) {
      // closing anyway
    }
  }
}
