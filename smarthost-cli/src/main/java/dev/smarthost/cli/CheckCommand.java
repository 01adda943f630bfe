package dev.smarthost.cli;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.SmtpConnectionValidator;
import dev.smarthost.core.TestMessage;
import dev.smarthost.core.ValidationResult;
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
        "Check the settings: connect, TLS, EHLO, AUTH (and a test message with --from/--to).")
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
    ValidationResult result =
        message
            .map(m -> validator.validate(settings, m))
            .orElseGet(() -> validator.validate(settings));
    java.io.PrintWriter out = spec.commandLine().getOut();
    if (options.json) {
      out.println(Report.json(result));
    } else {
      out.print(Report.text(result));
    }
    out.flush();
    return result.ok() ? SmarthostCli.OK : SmarthostCli.FAILED;
  }
}
