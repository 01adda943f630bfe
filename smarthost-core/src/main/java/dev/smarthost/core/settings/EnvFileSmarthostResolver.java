package dev.smarthost.core.settings;

import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.internal.Checks;
import dev.smarthost.core.settings.FileSnapshot.Stamp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

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
 * <p>Subscribers are told about every change: see {@link #subscribe(Consumer)}.
 */
public final class EnvFileSmarthostResolver implements SmarthostResolver {

  /** How often a watched file is polled in addition to file-system events. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

  private final Path path;
  private final boolean optional;
  private final FileWatch watch;

  private @Nullable Stamp seen;
  private final SettingsPublisher settings = new SettingsPublisher(EnvFileSmarthostResolver.class);
  private volatile boolean watching;

  private EnvFileSmarthostResolver(Builder b) {
    this.path = b.path;
    this.optional = b.optional;
    this.watch = new FileWatch(path, b.pollInterval, this::refreshQuietly);
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
   * Returns the settings in the file, re-reading it if it changed since the last call. While anyone
   * is {@linkplain #subscribe(Consumer) subscribed}, the watching thread keeps the answer current
   * and this method only reads memory; otherwise each call compares the file's stamp (one {@code
   * stat}).
   *
   * @return the settings, or empty if {@code SMTP_ENABLED} is off (or the file is optional and
   *     missing)
   * @throws SmarthostConfigurationException naming the file, line and key if the file has never
   *     held valid settings
   */
  @Override
  public Optional<SmarthostSettings> resolve() {
    if (watching && settings.hasSettings()) {
      return settings.current(); // the watching thread keeps it current
    }
    return refreshAndGet();
  }

  private Optional<SmarthostSettings> refreshAndGet() {
    Optional<SmarthostChange> change;
    Optional<SmarthostSettings> answer;
    synchronized (this) {
      change = refresh();
      answer = settings.current();
    }
    change.ifPresent(settings::publish);
    return answer;
  }

  /**
   * Tells {@code listener} about every change of the file, and about a file that turned invalid.
   * While anyone is subscribed, a daemon thread watches the file (file-system events plus a poll
   * every {@link #DEFAULT_POLL_INTERVAL}), so an atomic replace reaches listeners well within a
   * second, once per change of the settings; closing the last subscription stops the thread.
   *
   * @param listener called on the watching thread (or on a thread calling {@link #resolve()})
   * @return closing it stops the notifications
   */
  @Override
  public AutoCloseable subscribe(Consumer<SmarthostChange> listener) {
    AutoCloseable subscription = settings.subscribe(listener);
    synchronized (watch) {
      try {
        resolve(); // the baseline that later changes are compared with
      } catch (SmarthostConfigurationException e) {
        // not valid yet: the first valid version will be reported as a change
      }
      watch.start();
      watching = true;
    }
    return () -> {
      subscription.close();
      synchronized (watch) {
        if (!settings.hasSubscribers()) {
          watching = false;
          watch.stop();
        }
      }
    };
  }

  /** Whether a watching thread runs, i.e. anyone is subscribed. */
  boolean watching() {
    return watch.running();
  }

  private void refreshQuietly() {
    try {
      refreshAndGet();
    } catch (SmarthostConfigurationException e) {
      // never valid yet: resolve() callers get the error; nothing to publish
    }
  }

  @Override
  public String toString() {
    return "EnvFileSmarthostResolver{" + path + (optional ? ", optional" : "") + "}";
  }

  /** Returns the change to publish, if the file changed. Caller holds the lock. */
  private Optional<SmarthostChange> refresh() {
    Stamp stamp = Stamp.of(path);
    if (stamp.equals(seen)) {
      return Optional.empty();
    }
    try {
      FileSnapshot snapshot = FileSnapshot.read(path, stamp);
      if (snapshot == null) {
        if (settings.hasSettings()) {
          return Optional
              .empty(); // being replaced right now: answer with what we have, look again next call
        }
        throw SmarthostConfigurationException.forSource(
            path.toString(), "file kept changing while being read", null);
      }
      seen = snapshot.stamp;
      return settings.accept(parse(snapshot));
    } catch (SmarthostConfigurationException e) {
      seen = stamp;
      return settings.reject(e);
    }
  }

  private Optional<SmarthostSettings> parse(FileSnapshot snapshot) {
    if (snapshot.content == null) {
      if (optional) {
        return Optional.empty();
      }
      throw SmarthostConfigurationException.forSource(path.toString(), "file not found", null);
    }
    return EnvSettings.parseFile(path.toString(), snapshot.content).toSettings();
  }

  /** Configures an {@link EnvFileSmarthostResolver}. */
  public static final class Builder {
    private final Path path;
    private boolean optional;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;

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
     * Sets how often a watched file is polled besides file-system events (default 250 ms).
     *
     * @param interval at least 10 ms
     * @return this builder (for chaining)
     */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = Checks.atLeast("pollInterval", interval, Duration.ofMillis(10));
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
