package dev.smarthost.cli;

import dev.smarthost.core.session.SmtpOptions;
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
      description = "Trust the certificates in this key store (PKCS12 or JKS) or PEM file.")
  @Nullable Path trustStore;

  @Option(
      names = "--trust-store-password",
      paramLabel = "PASSWORD",
      description =
          "Password of the trust store (visible in ps: prefer --trust-store-password-file or -env).")
  @Nullable String trustStorePassword;

  @Option(
      names = "--trust-store-password-file",
      paramLabel = "FILE",
      description = "Read the trust store's password from the first line of FILE.")
  @Nullable Path trustStorePasswordFile;

  @Option(
      names = "--trust-store-password-env",
      paramLabel = "VAR",
      description = "Read the trust store's password from the environment variable VAR.")
  @Nullable String trustStorePasswordEnv;

  private static boolean isPem(Path file) {
    try (java.io.InputStream in = Files.newInputStream(file)) {
      return new String(in.readNBytes(64), java.nio.charset.StandardCharsets.ISO_8859_1)
          .stripLeading()
          .startsWith("-----BEGIN");
    } catch (IOException e) {
      return false; // loading it as a key store then says what is wrong
    }
  }

  /** Sets the trust store on the builder, if one was given. */
  void applyTo(SmtpOptions.Builder options) {
    KeyStore store = load();
    if (store != null) {
      options.trustStore(store);
    }
  }

  /** The trust store, or null if none was given. */
  @Nullable KeyStore load() {
    String fromFileOrEnv =
        SecretOption.read("--trust-store-password", trustStorePasswordFile, trustStorePasswordEnv);
    if (fromFileOrEnv != null && trustStorePassword != null) {
      throw new UsageException(
          "--trust-store-password: give it once (the option, the file or the variable)");
    }
    if (trustStore == null) {
      return null;
    }
    return load(trustStore, fromFileOrEnv != null ? fromFileOrEnv : trustStorePassword);
  }

  private static KeyStore load(Path file, @Nullable String password) {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("--trust-store: " + file + " is not a readable file");
    }
    if (isPem(file)) {
      try {
        return SmtpOptions.builder().trustCertificates(file).build().trustStore().orElseThrow();
      } catch (IllegalArgumentException e) {
        throw new UsageException("--trust-store: " + e.getMessage());
      }
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
