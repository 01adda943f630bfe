package dev.smarthost.cli;

import picocli.CommandLine.Command;

/** {@code smarthost send-test}: like {@code check}, and --from and --to are required. */
@Command(
    name = "send-test",
    mixinStandardHelpOptions = true,
    description = "Check the settings and send one test message (--from and --to required).")
final class SendTestCommand extends CheckCommand {
  @Override
  boolean testMessageRequired() {
    return true;
  }
}
