package dev.smarthost.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smarthost.SmarthostSettings;
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
  static final List<Integer> DEFAULT_PORTS = List.of(587, 465, 25, 2525);

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
    List<Integer> tried = ports == null ? DEFAULT_PORTS : ports;
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
      out.println(json(result));
    } else {
      out.print(text(result));
    }
    out.flush();
    return result.recommended().isPresent() ? ExitCodes.OK : ExitCodes.FAILED;
  }

  static String text(DiscoveryResult r) {
    StringBuilder b = new StringBuilder();
    for (DiscoveryResult.Candidate c : r.candidates()) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-5d %-9s %-26s %6d ms%s%n",
              c.port(),
              c.encryption().configValue(),
              c.failure()
                  .map(f -> f.kind().name())
                  .orElse(c.authenticated() ? "ok, logged in" : "ok"),
              c.duration().toMillis(),
              c.failure().map(f -> "  " + f.hint()).orElse("")));
    }
    if (r.recommended().isPresent()) {
      SmarthostSettings s = r.recommended().get();
      b.append("Recommended: --port ")
          .append(s.port())
          .append(" --encryption ")
          .append(s.encryption().configValue())
          .append(s.hasCredentials() ? " with the login" : "")
          .append('\n');
    } else {
      b.append("No port worked: see the hints above.\n");
    }
    return b.toString();
  }

  /** {@code {"recommended":{host,port,encryption,verifyTls}|null,"candidates":[…]}}. */
  static ObjectNode json(DiscoveryResult r) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    if (r.recommended().isPresent()) {
      SmarthostSettings s = r.recommended().get();
      ObjectNode rec = root.putObject("recommended");
      rec.put("host", s.host());
      rec.put("port", s.port());
      rec.put("encryption", s.encryption().configValue());
      rec.put("verifyTls", s.verifyTls());
    } else {
      root.putNull("recommended");
    }
    ArrayNode candidates = root.putArray("candidates");
    for (DiscoveryResult.Candidate c : r.candidates()) {
      ObjectNode n = candidates.addObject();
      n.put("port", c.port());
      n.put("encryption", c.encryption().configValue());
      n.put("ok", c.ok());
      n.put("authenticated", c.authenticated());
      n.put("kind", c.failure().map(x -> x.kind().name()).orElse(null));
      n.put("provider", c.failure().flatMap(x -> x.provider()).orElse(null));
      n.put("hint", c.failure().map(x -> x.hint()).orElse(null));
      n.put("millis", c.duration().toMillis());
    }
    root.put("totalMillis", r.total().toMillis());
    return root;
  }
}
