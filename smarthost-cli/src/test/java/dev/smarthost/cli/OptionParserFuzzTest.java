package dev.smarthost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.SmarthostConfigurationException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import picocli.CommandLine;

/**
 * The option parser of check and send-test on 10,000 generated command lines (no network: only
 * parsing and the settings they describe): picocli's parameter errors or our usage errors, never
 * another exception, and never a secret given after --password or --trust-store-password in the
 * message the CLI prints.
 */
class OptionParserFuzzTest {
  static final String MARKER = "S3CR3T";

  @Provide
  Arbitrary<List<String>> commandLines() {
    Arbitrary<String> options =
        Arbitraries.of(
            "--host",
            "--port",
            "--encryption",
            "--no-verify-tls",
            "--username",
            "--password-env",
            "--password-file",
            "--password",
            "--timeout",
            "--from",
            "--to",
            "--json",
            "--trust-store",
            "--trust-store-password",
            "--trust-store-password-file",
            "--trust-store-password-env",
            "--redis-password-file",
            "--redis-password-env",
            "--bogus",
            "-x");
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.of(
                "smtp.example.org",
                "587",
                "70000",
                "x",
                "starttls",
                "tls",
                "ssl",
                "30s",
                "0ms",
                "PT1S",
                "a@example.org",
                "nobody",
                "",
                "/nonexistent",
                "SMARTHOST_FUZZ_UNSET",
                "--host"),
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12));
    Arbitrary<List<String>> random =
        Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, options), net.jqwik.api.Tuple.of(1, values))
            .list()
            .ofMaxSize(8);
    // Half the lines start with a valid --host, so that the checks behind the first one (trust
    // store, timeout, test message) are reached often, not by luck.
    return Arbitraries.oneOf(
        random,
        random.map(
            tail -> {
              List<String> line = new ArrayList<>(List.of("--host", "smtp.example.org"));
              line.addAll(tail);
              return line;
            }));
  }

  @Property(
      tries = 10_000,
      shrinking = net.jqwik.api.ShrinkingMode.OFF) // jqwik 1.9.3's shrinker fails on mixed strings
  void onlyUsageErrors(@ForAll("commandLines") List<String> args, @ForAll String password) {
    List<String> all = new ArrayList<>(args);
    String secret = MARKER + password.replace("\n", "");
    for (String option : List.of("--password", "--trust-store-password")) {
      int i = all.indexOf(option);
      if (i >= 0) {
        all.add(i + 1, secret);
      }
    }
    CheckCommand command = new CheckCommand();
    java.io.StringWriter warnings = new java.io.StringWriter();
    try {
      SmarthostCli.configure(new CommandLine(command)).parseArgs(all.toArray(new String[0]));
      command.options.settings(new java.io.PrintWriter(warnings));
      command.options.testMessage(false);
      command.options.deadline();
      command.options.smtpOptions();
    } catch (CommandLine.ParameterException e) {
      assertThat(SmarthostCli.usageMessage(e)).isNotBlank().doesNotContain(MARKER);
    } catch (UsageException | SmarthostConfigurationException e) {
      assertThat(String.valueOf(e.getMessage())).doesNotContain(MARKER);
    }
    assertThat(warnings.toString()).doesNotContain(MARKER);
  }
}
