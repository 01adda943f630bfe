package dev.smarthost.cli;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.cli.report.Report;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code smarthost demo}: the whole flow against an embedded smarthost: start it (STARTTLS, AUTH
 * required, its own CA), write its env file, resolve it, check it with a test message, show what
 * arrived.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start an embedded smarthost (STARTTLS + AUTH), write its env file, check it and send a message.",
    footerHeading = "%nExamples:%n",
    footer = {"  smarthost demo"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:the check and the message passed",
      "1:they did not (this would be a bug: please report it)",
      "2:bad usage or unreadable configuration (the message names the option, or the file, line and key)"
    })
final class DemoCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = Files.createTempDirectory("smarthost-demo");
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("demo", "demo-Pässwörd")
            .start()) {
      out.println(
          "Started an embedded smarthost on "
              + server.host()
              + ":"
              + server.port()
              + " (STARTTLS required, AUTH required, certificate signed by its own CA)");
      server.writeEnvFile(env);
      out.println("Wrote " + env + " (the file the cluster gives each application)");
      SmarthostSettings settings = EnvFileSmarthostResolver.of(env).resolve().orElseThrow();
      out.println("Resolved " + settings);
      out.println();
      ValidationResult result =
          SmtpConnectionValidator.create(server.smtpOptions())
              .validate(settings, TestMessage.of("demo@example.org", "admin@example.org"));
      out.print(Report.text(result));
      if (result.ok()) {
        ReceivedMessage got = server.awaitMessages(1, Duration.ofSeconds(5)).get(0);
        out.println();
        out.println("The smarthost received: " + got);
      }
      out.flush();
      return result.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    } finally {
      Files.deleteIfExists(env);
      Files.deleteIfExists(dir);
    }
  }
}
