package dev.smarthost.core;

import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.internal.EnvSettings;
import dev.smarthost.core.internal.Subscribers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the cluster's {@code smarthost.env} file:
 *
 * <pre>
 * SMTP_ENABLED=1
 * SMTP_HOST=smtp.example.org
 * SMTP_PORT=587
 * SMTP_USERNAME=user
 * SMTP_PASSWORD=secret with = and # inside
 * SMTP_ENCRYPTION=starttls
 * SMTP_TLSVERIFY=1
 * </pre>
 *
 * <p>{@link #resolve()} re-reads the file only when its size, modification time or file key (inode)
 * changed, so calling it for every message is cheap. A file that turns invalid, half written or
 * unreadable never replaces the last good settings: the error is logged (without secrets), sent to
 * subscribers, and {@code resolve()} keeps answering. Only a file that has never been valid makes
 * {@code resolve()} throw.
 *
 * <p>Subscribers are told about changes that a {@code resolve()} call discovers.
 */
public final class EnvFileSmarthostResolver implements SmarthostResolver {
  private static final Logger LOG = LoggerFactory.getLogger(EnvFileSmarthostResolver.class);
  private static final int READ_ATTEMPTS = 5;

  private final Path path;
  private final boolean optional;
  private final Subscribers subscribers = new Subscribers();

  private @Nullable Stamp seen;
  private @Nullable Optional<SmarthostSettings> good;
  private @Nullable SmarthostConfigurationException error;

  private EnvFileSmarthostResolver(Builder b) {
    this.path = b.path;
    this.optional = b.optional;
  }

  /**
   * Creates a resolver for a file that must exist.
   *
   * @param path the env file
   * @return the resolver; the file is first read by {@link #resolve()}
   */
  public static EnvFileSmarthostResolver of(Path path) {
    return builder(path).build();
  }

  /**
   * Starts configuring a resolver.
   *
   * @param path the env file
   * @return a new builder
   */
  public static Builder builder(Path path) {
    return new Builder(path);
  }

  /**
   * Returns the file this resolver reads.
   *
   * @return the path
   */
  public Path path() {
    return path;
  }

  /**
   * Returns the settings in the file, re-reading it if it changed since the last call.
   *
   * @return the settings, or empty if {@code SMTP_ENABLED} is off (or the file is optional and
   *     missing)
   * @throws SmarthostConfigurationException naming the file, line and key if the file has never
   *     held valid settings
   */
  @Override
  public Optional<SmarthostSettings> resolve() {
    SmarthostChange change;
    Optional<SmarthostSettings> answer;
    synchronized (this) {
      change = refresh();
      if (good == null) {
        throw Objects.requireNonNull(error);
      }
      answer = good;
    }
    if (change != null) {
      subscribers.publish(change);
    }
    return answer;
  }

  @Override
  public AutoCloseable subscribe(Consumer<SmarthostChange> listener) {
    return subscribers.add(listener);
  }

  @Override
  public String toString() {
    return "EnvFileSmarthostResolver{" + path + (optional ? ", optional" : "") + "}";
  }

  /** Returns the change to publish, if the file changed. Caller holds the lock. */
  private @Nullable SmarthostChange refresh() {
    Stamp stamp = Stamp.of(path);
    if (stamp.equals(seen)) {
      return null;
    }
    Optional<SmarthostSettings> read;
    try {
      Snapshot snapshot = readConsistently(stamp);
      if (snapshot == null) {
        if (good != null) {
          return null; // being replaced right now: answer with what we have, look again next call
        }
        throw SmarthostConfigurationException.forSource(
            path.toString(), "file kept changing while being read", null);
      }
      stamp = snapshot.stamp;
      read = parse(snapshot);
    } catch (SmarthostConfigurationException e) {
      seen = stamp;
      error = e;
      if (good == null) {
        return null;
      }
      LOG.warn("{}; keeping the last good settings", e.getMessage());
      return SmarthostChange.failed(good, e);
    }
    seen = stamp;
    error = null;
    Optional<SmarthostSettings> previous = good;
    good = read;
    return previous == null || previous.equals(read)
        ? null
        : SmarthostChange.updated(previous, read);
  }

  private Optional<SmarthostSettings> parse(Snapshot snapshot) {
    if (snapshot.content == null) {
      if (optional) {
        return Optional.empty();
      }
      throw SmarthostConfigurationException.forSource(path.toString(), "file not found", null);
    }
    return EnvSettings.parseFile(path.toString(), snapshot.content).toSettings();
  }

  /**
   * Reads the file so that content and stamp belong together: the writer replaces it atomically, so
   * a stamp that changed while reading means read again.
   */
  private Snapshot readConsistently(Stamp before) {
    Stamp stamp = before;
    for (int attempt = 1; ; attempt++) {
      if (!stamp.exists) {
        return new Snapshot(stamp, null);
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
        return new Snapshot(stamp, content);
      }
      if (attempt == READ_ATTEMPTS) {
        return null;
      }
      stamp = after;
    }
  }

  private static final class Snapshot {
    final Stamp stamp;
    final byte @Nullable [] content;

    Snapshot(Stamp stamp, byte @Nullable [] content) {
      this.stamp = stamp;
      this.content = content;
    }
  }

  /** What identifies one version of the file without reading it. */
  private static final class Stamp {
    static final Stamp MISSING = new Stamp(false, -1, -1, null);

    final boolean exists;
    final long size;
    final long modifiedNanos;
    final @Nullable Object fileKey;

    private Stamp(boolean exists, long size, long modifiedNanos, @Nullable Object fileKey) {
      this.exists = exists;
      this.size = size;
      this.modifiedNanos = modifiedNanos;
      this.fileKey = fileKey;
    }

    static Stamp of(Path path) {
      try {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        return new Stamp(
            true,
            a.size(),
            a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
            a.fileKey());
      } catch (NoSuchFileException e) {
        return MISSING;
      } catch (IOException e) {
        // Unreadable attributes: force a read, which reports the problem.
        return new Stamp(true, -2, System.nanoTime(), null);
      }
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof Stamp)) {
        return false;
      }
      Stamp s = (Stamp) o;
      return exists == s.exists
          && size == s.size
          && modifiedNanos == s.modifiedNanos
          && Objects.equals(fileKey, s.fileKey);
    }

    @Override
    public int hashCode() {
      return Objects.hash(exists, size, modifiedNanos, fileKey);
    }
  }

  /** Configures an {@link EnvFileSmarthostResolver}. */
  public static final class Builder {
    private final Path path;
    private boolean optional;

    private Builder(Path path) {
      this.path = Objects.requireNonNull(path, "path");
    }

    /**
     * Treats a missing file as "e-mail off" instead of an error (default: required).
     *
     * @param optional true if the file may be absent
     * @return this builder (for chaining)
     */
    public Builder optional(boolean optional) {
      this.optional = optional;
      return this;
    }

    /**
     * Builds the resolver. Reads nothing yet.
     *
     * @return the resolver
     */
    public EnvFileSmarthostResolver build() {
      return new EnvFileSmarthostResolver(this);
    }
  }
}
