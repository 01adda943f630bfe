package dev.smarthost.cli;

/**
 * Bad usage found after parsing; the message names the option. Exits with {@link ExitCodes#USAGE}.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
