package dev.smarthost.cli;

import dev.smarthost.SmarthostConfigurationException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code smarthost}: checks smarthost settings the way the settings page does after saving.
 *
 * <p>Exit codes: 0 the check passed, 1 the check failed, 2 bad usage or unreadable configuration
 * (the message names the option or the file, line and key).
 */
@Command(
    name = "smarthost",
    mixinStandardHelpOptions = true,
    versionProvider = SmarthostCli.Version.class,
    description = "Checks and uses an SMTP smarthost.",
    subcommands = {
      CheckCommand.class,
      SendTestCommand.class,
      DemoCommand.class,
      ServeCommand.class
    })
public final class SmarthostCli implements Runnable {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Runs the command line and exits with its code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line without exiting; for tests and embedding. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = configure(new CommandLine(new SmarthostCli()));
    cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cl.setExecutionExceptionHandler(
        (ex, command, parseResult) -> {
          if (ex instanceof SmarthostConfigurationException || ex instanceof UsageException) {
            command.getErr().println("smarthost: " + ex.getMessage());
            return USAGE;
          }
          throw ex;
        });
    return cl.execute(args);
  }

  /**
   * The settings every command line shares; {@code @file} expansion is off (it would read any
   * file).
   */
  static CommandLine configure(CommandLine cl) {
    cl.setExpandAtFiles(false);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new UsageException("choose a command: check, send-test, demo or serve");
  }

  /** Bad usage found after parsing; the message names the option. */
  static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SmarthostCli.class.getPackage().getImplementationVersion();
      return new String[] {"smarthost " + (v == null ? "(development build)" : v)};
    }
  }
}
