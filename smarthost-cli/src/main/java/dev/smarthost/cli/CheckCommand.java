package dev.smarthost.cli;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.cli.report.Report;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code smarthost check}: connect, greet, TLS, EHLO, AUTH; with --from and --to also a test
 * message.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description =
        "Check the settings: connect, TLS, EHLO, AUTH (and a test message with --from/--to).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  smarthost check --env-file /etc/smarthost.env",
      "  smarthost check --host smtp.example.org --port 587 --encryption starttls \\",
      "      --username app --password-file ~/.smtp-password --trust-store ca.pem",
      "  smarthost check --redis redis://127.0.0.1:6379 --json"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the check passed",
      "1:the check failed (the kind, the server's reply and what to do are printed)",
      "2:bad usage or unreadable configuration (the message names the option, or the file, line and key)"
    })
class CheckCommand implements Callable<Integer> {
  @Mixin ConnectionOptions options;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  boolean testMessageRequired() {
    return false;
  }

  @Override
  public Integer call() {
    SmarthostSettings settings = options.settings(spec.commandLine().getErr());
    Optional<TestMessage> message = options.testMessage(testMessageRequired());
    SmtpConnectionValidator validator =
        SmtpConnectionValidator.create(options.smtpOptions()).withDeadline(options.deadline());
    PrintWriter out = spec.commandLine().getOut();
    if (!options.json) {
      // progress on a slow server: each step as it completes; --json stays one object
      out.print(Report.header(settings));
      out.flush();
      validator =
          validator.withProgress(
              p -> {
                out.print(Report.phase(p));
                out.flush();
              });
    }
    SmtpConnectionValidator v = validator;
    ValidationResult result =
        message.map(m -> v.validate(settings, m)).orElseGet(() -> v.validate(settings));
    if (options.json) {
      out.println(Report.json(result));
    } else {
      out.print(Report.footer(result));
    }
    out.flush();
    return result.ok() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
