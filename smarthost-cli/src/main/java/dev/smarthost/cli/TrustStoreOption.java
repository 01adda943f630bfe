package dev.smarthost.cli;

import dev.smarthost.cli.SmarthostCli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import org.jspecify.annotations.Nullable;

/** Loads the key store named by {@code --trust-store}; every failure is a usage error. */
final class TrustStoreOption {
  private TrustStoreOption() {}

  static KeyStore load(Path file, @Nullable String password) {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("--trust-store: " + file + " is not a readable file");
    }
    try {
      return KeyStore.getInstance(file.toFile(), password == null ? null : password.toCharArray());
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new UsageException(
          "--trust-store: cannot load "
              + file
              + " ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + ")");
    }
  }
}
