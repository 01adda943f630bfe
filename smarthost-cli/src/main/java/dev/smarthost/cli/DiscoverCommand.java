package dev.smarthost.cli;

import dev.smarthost.SmarthostSettings;
import dev.smarthost.cli.report.DiscoveryReport;
import dev.smarthost.core.check.DiscoveryResult;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.session.SmtpOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code smarthost discover}: tries each port with the encryption it answers to and recommends the
 * most secure settings that work.
 */
@Command(
    name = "discover",
    mixinStandardHelpOptions = true,
    description =
        "Find working settings: try each port with implicit TLS, STARTTLS or clear text (all at"
            + " once, certificates verified), and recommend the most secure that works.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  smarthost discover --host smtp.example.org",
      "  smarthost discover --host smtp.example.org --username app --password-file ~/.smtp-password --json"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:a working setting was found (and recommended)",
      "1:no port worked (each port's failure is printed)",
      "2:bad usage or unreadable configuration (the message names the option, or the file, line and key)"
    })
class DiscoverCommand implements Callable<Integer> {
  @Option(names = "--host", required = true, paramLabel = "HOST", description = "SMTP server.")
  String host = "";

  @Option(
      names = "--ports",
      split = ",",
      paramLabel = "PORT",
      description = "Ports to try, comma-separated (default 587,465,25,2525).")
  @Nullable List<Integer> ports;

  @Mixin LoginOptions login = new LoginOptions();

  @Mixin TrustStoreOption trust = new TrustStoreOption();

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description = "Deadline for the whole discovery (default 30s).")
  String timeout = "30s";

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Duration deadline = ConnectionOptions.parseTimeout(timeout);
    SmtpOptions.Builder options = SmtpOptions.builder();
    trust.applyTo(options);
    if (deadline.compareTo(SmtpOptions.DEFAULT_CONNECT_TIMEOUT) < 0) {
      options.connectTimeout(deadline);
    }
    SmtpConnectionValidator validator =
        SmtpConnectionValidator.create(options.build()).withDeadline(deadline);
    List<Integer> tried = ports == null ? SmtpConnectionValidator.DISCOVERY_PORTS : ports;
    String password = login.password();
    String username = login.username;
    try {
      SmarthostSettings.normalizeHost(host); // a bad host is a usage error before anything prints
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.printf(
          Locale.ROOT,
          "Discovering %s on ports %s (certificates verified%s)%n",
          host,
          tried.stream().map(String::valueOf).collect(Collectors.joining(", ")),
          username == null ? "" : ", login as " + username + " where encrypted");
      out.flush();
    }
    DiscoveryResult result;
    try {
      result =
          username == null || password == null
              ? validator.discover(host, tried)
              : validator.discover(host, tried, username, password);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--" + e.getMessage()); // "host: …" or "ports: …"
    }
    if (json) {
      out.println(DiscoveryReport.json(result));
    } else {
      out.print(DiscoveryReport.text(result));
    }
    out.flush();
    return result.recommended().isPresent() ? ExitCodes.OK : ExitCodes.FAILED;
  }
}
