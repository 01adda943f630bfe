package dev.smarthost.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Reads a secret the way every {@code --…-file} / {@code --…-env} pair does: the first line of a
 * UTF-8 file (without its line end), or an environment variable. Never from the command line, where
 * other users see it in {@code ps}.
 */
final class SecretOption {
  private SecretOption() {}

  static @Nullable String read(String name, @Nullable Path file, @Nullable String variable) {
    if (file != null && variable != null) {
      throw new UsageException(name + "-file and " + name + "-env: use one");
    }
    if (file != null) {
      try {
        String content = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        int end = content.indexOf('\n');
        String line = end < 0 ? content : content.substring(0, end);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
      } catch (IOException e) {
        throw new UsageException(
            name + "-file: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (variable != null) {
      String value = System.getenv(variable);
      if (value == null) {
        throw new UsageException(name + "-env: " + variable + " is not set");
      }
      return value;
    }
    return null;
  }
}
