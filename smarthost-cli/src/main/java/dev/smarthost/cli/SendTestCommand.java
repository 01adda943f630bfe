package dev.smarthost.cli;

import picocli.CommandLine.Command;

/** {@code smarthost send-test}: like {@code check}, and --from and --to are required. */
@Command(
    name = "send-test",
    mixinStandardHelpOptions = true,
    description = "Check the settings and send one test message (--from and --to required).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  smarthost send-test --env-file /etc/smarthost.env --from app@example.org --to admin@example.org"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the message was accepted",
      "1:the check or the message failed (kind, reply and what to do are printed)",
      "2:bad usage or unreadable configuration (the message names the option, or the file, line and key)"
    })
final class SendTestCommand extends CheckCommand {
  @Override
  boolean testMessageRequired() {
    return true;
  }
}
