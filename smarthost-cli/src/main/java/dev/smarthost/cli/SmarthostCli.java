package dev.smarthost.cli;

import dev.smarthost.SmarthostConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
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
    description = "Checks and uses an SMTP smarthost. Each command has --help with examples.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  smarthost demo                                 # try it on its own",
      "  smarthost check --env-file /etc/smarthost.env  # the cluster's settings",
      "  smarthost serve --env-file /etc/smarthost.env  # the settings page"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the command succeeded",
      "1:the check or the command failed (the reason and what to do are printed)",
      "2:bad usage or unreadable configuration"
    },
    subcommands = {
      CheckCommand.class,
      DiscoverCommand.class,
      OutboxCommand.class,
      SendTestCommand.class,
      DemoCommand.class,
      ServeCommand.class
    })
public final class SmarthostCli implements Runnable {
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
            return ExitCodes.USAGE;
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
    cl.setParameterExceptionHandler(SmarthostCli::parameterError);
    return cl;
  }

  private static int parameterError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    cl.getErr().println("smarthost: " + usageMessage(e));
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cl.getErr())) {
      cl.usage(cl.getErr());
    }
    return ExitCodes.USAGE;
  }

  /**
   * The message for a command line picocli could not parse. Picocli lists every unmatched argument
   * with its value, and a value may be a password typed where it does not belong; here only the
   * unknown options are named, without anything after an {@code =}, and values are counted.
   */
  static String usageMessage(CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)) {
      return String.valueOf(e.getMessage());
    }
    List<String> options = new ArrayList<>();
    int values = 0;
    for (String argument : unmatched.getUnmatched()) {
      if (argument.startsWith("-") && argument.length() > 1) {
        int equals = argument.indexOf('=');
        options.add("'" + (equals < 0 ? argument : argument.substring(0, equals) + "=…") + "'");
      } else {
        values++;
      }
    }
    StringBuilder message = new StringBuilder();
    if (!options.isEmpty()) {
      message.append("unknown option").append(options.size() > 1 ? "s " : " ");
      message.append(String.join(", ", options));
    }
    if (values > 0) {
      message.append(message.length() > 0 ? " and " : "").append(values);
      message.append(values > 1 ? " unexpected values" : " unexpected value");
      message.append(" (not shown: a value may be a secret)");
    }
    return message.toString();
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
    throw new UsageException(
        "choose a command: " + String.join(", ", spec.commandLine().getSubcommands().keySet()));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"smarthost " + version()};
    }

    /** The version Maven built this as (a filtered resource, so it is right in tests and jars). */
    static String version() {
      Properties p = new Properties();
      try (InputStream in = SmarthostCli.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        // fall through to "unknown"
      }
      return p.getProperty("version", "(unknown version)");
    }
  }
}
