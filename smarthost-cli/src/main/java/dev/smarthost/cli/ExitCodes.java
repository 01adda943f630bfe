package dev.smarthost.cli;

/** The command line's exit codes, as every command's help lists them. */
final class ExitCodes {
  /** The check or the command succeeded. */
  static final int OK = 0;

  /** The check or the command failed; the reason and what to do were printed. */
  static final int FAILED = 1;

  /** Bad usage or unreadable configuration; the message named the option, or file, line and key. */
  static final int USAGE = 2;

  private ExitCodes() {}
}
