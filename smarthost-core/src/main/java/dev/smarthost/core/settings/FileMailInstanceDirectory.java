package dev.smarthost.core.settings;

import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.core.settings.FileSnapshot.Stamp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mail instances listed in a small file, one block per instance, with the field names of the
 * cluster's {@code module/<id>/srv/tcp/submission} records:
 *
 * <pre>
 * # written by the cluster when a Mail instance starts or moves
 * mail1.host=10.5.4.1
 * mail1.port=10587
 * mail1.node=1
 * mail1.mail_hostname=mail.example.org
 * mail1.user_domain=example.org
 * </pre>
 *
 * <p>Only {@code host} is required ({@code port} defaults to 10587); other fields are ignored.
 * Values are verbatim after the first {@code =}; blank lines and {@code #} lines are comments. Like
 * the env file it is re-read only when it changed, a broken version keeps the last good list, and
 * subscribers are notified by a watching thread.
 */
public final class FileMailInstanceDirectory implements MailInstanceDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(FileMailInstanceDirectory.class);

  private final Path path;
  private final List<Consumer<List<MailInstance>>> listeners = new CopyOnWriteArrayList<>();
  private final FileWatch watch;
  private final Object watchLock = new Object();
  private @Nullable Stamp seen;
  private @Nullable List<MailInstance> good;
  private @Nullable SmarthostConfigurationException error;

  private FileMailInstanceDirectory(Path path) {
    this.path = path;
    this.watch =
        new FileWatch(path, EnvFileSmarthostResolver.DEFAULT_POLL_INTERVAL, this::refreshQuietly);
  }

  /**
   * Creates a directory over a file.
   *
   * @param path the file; read on first use
   * @return the directory
   */
  public static FileMailInstanceDirectory of(Path path) {
    return new FileMailInstanceDirectory(Objects.requireNonNull(path, "path"));
  }

  @Override
  public List<MailInstance> instances() {
    List<MailInstance> changed;
    List<MailInstance> answer;
    synchronized (this) {
      changed = refresh();
      if (good == null) {
        throw Objects.requireNonNull(error);
      }
      answer = good;
    }
    if (changed != null) {
      for (Consumer<List<MailInstance>> listener : listeners) {
        try {
          listener.accept(changed);
        } catch (RuntimeException e) {
          LOG.warn("Mail instance listener {} failed", listener, e);
        }
      }
    }
    return answer;
  }

  @Override
  public AutoCloseable subscribe(Consumer<List<MailInstance>> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    synchronized (watchLock) {
      refreshQuietly();
      watch.start();
    }
    return () -> {
      listeners.remove(listener);
      synchronized (watchLock) {
        if (listeners.isEmpty()) {
          watch.stop();
        }
      }
    };
  }

  private void refreshQuietly() {
    try {
      instances();
    } catch (SmarthostConfigurationException e) {
      // never valid yet; instances() callers get the error
    }
  }

  /** Returns the new list if it changed. Caller holds the lock. */
  private @Nullable List<MailInstance> refresh() {
    Stamp stamp = Stamp.of(path);
    if (stamp.equals(seen)) {
      return null;
    }
    List<MailInstance> read;
    try {
      FileSnapshot snapshot = FileSnapshot.read(path, stamp);
      if (snapshot == null) {
        if (good != null) {
          return null;
        }
        throw SmarthostConfigurationException.forSource(
            path.toString(), "file kept changing while being read", null);
      }
      if (snapshot.content == null) {
        throw SmarthostConfigurationException.forSource(path.toString(), "file not found", null);
      }
      stamp = snapshot.stamp;
      read = parse(path.toString(), new String(snapshot.content, StandardCharsets.UTF_8));
    } catch (SmarthostConfigurationException e) {
      seen = stamp;
      error = e;
      if (good != null) {
        LOG.warn("{}; keeping the last good list of Mail instances", e.getMessage());
      }
      return null;
    }
    seen = stamp;
    error = null;
    List<MailInstance> previous = good;
    good = read;
    return previous == null || previous.equals(read) ? null : read;
  }

  static List<MailInstance> parse(String source, String text) {
    Map<String, Map<String, String>> fields = new TreeMap<>();
    Map<String, Integer> lines = new TreeMap<>();
    String[] all = text.split("\n", -1);
    for (int i = 0; i < all.length; i++) {
      String line = all[i].endsWith("\r") ? all[i].substring(0, all[i].length() - 1) : all[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      int dot = eq < 0 ? -1 : line.lastIndexOf('.', eq);
      if (eq < 0 || dot <= 0) {
        throw SmarthostConfigurationException.forLine(
            source, i + 1, null, "expected <id>.<field>=value");
      }
      String id = line.substring(0, dot);
      String field = line.substring(dot + 1, eq);
      fields.computeIfAbsent(id, k -> new TreeMap<>()).put(field, line.substring(eq + 1));
      lines.put(id + "." + field, i + 1);
    }
    List<MailInstance> result = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> e : fields.entrySet()) {
      String id = e.getKey();
      Map<String, String> f = e.getValue();
      result.add(
          MailInstance.fromRecord(
              id,
              f,
              (field, problem) -> {
                Integer line = lines.get(id + "." + field);
                return line != null
                    ? SmarthostConfigurationException.forLine(
                        source, line, id + "." + field, problem)
                    : SmarthostConfigurationException.forKey(source, id + "." + field, problem);
              }));
    }
    return List.copyOf(result);
  }

  @Override
  public String toString() {
    return "FileMailInstanceDirectory{" + path + "}";
  }

  /** For tests: the file is watched while anyone is subscribed. */
  boolean watching() {
    return watch.running();
  }
}
