package dev.smarthost.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --username} with {@code --password-file} or {@code --password-env}, shared by every
 * command that logs in; a password as an argument ({@code --password}) is refused with the reason.
 */
final class LoginOptions {
  @Option(names = "--username", paramLabel = "USER", description = "User name for AUTH.")
  @Nullable String username;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      description = "Read the password from the first line of FILE.")
  @Nullable Path passwordFile;

  @Option(
      names = "--password-env",
      paramLabel = "VAR",
      description = "Read the password from environment variable VAR.")
  @Nullable String passwordEnv;

  @Option(names = "--password", hidden = true, paramLabel = "PASSWORD")
  @Nullable String forbiddenPassword;

  /** Whether any of the options was given. */
  boolean given() {
    return username != null || passwordFile != null || passwordEnv != null;
  }

  /**
   * Refuses a password given as an argument.
   *
   * @throws UsageException if {@code --password} was given
   */
  void refuseArgumentPassword() {
    if (forbiddenPassword != null) {
      throw new UsageException(
          "--password: never pass a password as an argument (other users see it in ps);"
              + " use --password-file or --password-env");
    }
  }

  /**
   * The password, or null without credentials.
   *
   * @throws UsageException if the password came as an argument, or user and password are not both
   *     given
   */
  @Nullable String password() {
    refuseArgumentPassword();
    String password = SecretOption.read("--password", passwordFile, passwordEnv);
    if ((username == null) != (password == null)) {
      throw new UsageException(
          username == null
              ? "--username: required with --password-file or --password-env"
              : "--password-file or --password-env: required with --username");
    }
    return password;
  }
}
