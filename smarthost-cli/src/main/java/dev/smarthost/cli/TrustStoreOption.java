package dev.smarthost.cli;

import dev.smarthost.cli.SmarthostCli.UsageException;
import dev.smarthost.core.SmtpOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --trust-store} and {@code --trust-store-password}, shared by every command that connects;
 * every failure to load the key store is a usage error.
 */
final class TrustStoreOption {
  @Option(
      names = "--trust-store",
      paramLabel = "FILE",
      description = "Trust the certificates in this key store (PKCS12 or JKS).")
  @Nullable Path trustStore;

  @Option(
      names = "--trust-store-password",
      paramLabel = "PASSWORD",
      description = "Password of the trust store, if it has one.")
  @Nullable String trustStorePassword;

  /** Sets the trust store on the builder, if one was given. */
  void applyTo(SmtpOptions.Builder options) {
    if (trustStore != null) {
      options.trustStore(load(trustStore, trustStorePassword));
    }
  }

  private static KeyStore load(Path file, @Nullable String password) {
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
