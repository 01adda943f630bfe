package dev.smarthost.core.outbox;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The rule for directories that hold what only this process may write (the file outbox): owned by
 * the process user, not writable by group or others, never a symbolic link, and what is created
 * inside is owner-only (directories 0700, files 0600). Another local user who could write there
 * could inject a message that goes out with the application's login, or make a delete follow a link
 * into someone else's files.
 */
final class PrivateFiles {
  private static final Set<PosixFilePermission> DIR = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static volatile @Nullable UserPrincipal processUser;

  private PrivateFiles() {}

  /** A directory that breaks the rule: the path and what is wrong, never followed. */
  public static final class InsecureException extends IOException {
    private static final long serialVersionUID = 1L;

    InsecureException(Path path, String problem) {
      super(path + " " + problem);
    }
  }

  /**
   * Creates {@code dir} (0700) if it does not exist, then checks it.
   *
   * @throws InsecureException if it breaks the rule
   */
  public static void ensureDirectory(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      try {
        if (posix(dir)) {
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR));
        } else {
          Files.createDirectories(dir);
        }
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        // created meanwhile (or a link put there): the check below decides
      }
    }
    checkDirectory(dir);
  }

  /**
   * Checks an existing directory without following a link.
   *
   * @throws InsecureException if it is a link, not a directory, owned by another user, or writable
   *     by group or others
   * @throws NoSuchFileException if it does not exist
   */
  public static void checkDirectory(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir)) {
      throw new InsecureException(
          dir, "is a symbolic link; use the real directory (links are never followed here)");
    }
    if (!posix(dir)) {
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new InsecureException(dir, "is not a directory");
      }
      return;
    }
    PosixFileAttributes a =
        Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!a.isDirectory()) {
      throw new InsecureException(dir, "is not a directory");
    }
    UserPrincipal me = processUser(dir);
    if (me != null && !me.equals(a.owner())) {
      throw new InsecureException(
          dir,
          "is owned by "
              + a.owner().getName()
              + ", not by "
              + me.getName()
              + " who runs this process; another user could put messages there (chown it)");
    }
    if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
        || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new InsecureException(
          dir,
          "is writable by its group or others ("
              + PosixFilePermissions.toString(a.permissions())
              + "), who could put messages there; make it owner-only (chmod 700)");
    }
  }

  /**
   * Whether a file inside a checked directory is a regular file of the process user (a link, or a
   * file someone else put there, is not taken).
   */
  public static boolean isOwnRegularFile(Path file) throws IOException {
    if (!posix(file)) {
      return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }
    PosixFileAttributes a =
        Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    UserPrincipal me = processUser(file);
    return a.isRegularFile() && (me == null || me.equals(a.owner()));
  }

  /**
   * The attributes for a new owner-only file ({@code rw-------}) where the file system has them.
   */
  public static FileAttribute<?>[] fileAttributes(Path file) {
    return posix(file)
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
  }

  private static boolean posix(Path p) {
    return p.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  /**
   * The user this process runs as, for the default file system only (an in-memory one has users of
   * its own); null where it cannot be told.
   */
  private static @Nullable UserPrincipal processUser(Path p) {
    if (p.getFileSystem() != FileSystems.getDefault()) {
      return null;
    }
    UserPrincipal me = processUser;
    if (me == null) {
      try {
        me =
            FileSystems.getDefault()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
      } catch (IOException | RuntimeException e) {
        return null;
      }
      processUser = me;
    }
    return me;
  }
}
