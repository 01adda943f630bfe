package dev.smarthost.core.settings;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.SmarthostConfigurationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The env-file parser on 10,000 generated files: documented exceptions only, never the password.
 */
class EnvParserFuzzTest {
  static final String MARKER = "S3CR3T";

  @Provide
  Arbitrary<String> secrets() {
    return Arbitraries.strings()
        .withCharRange(' ', '~')
        .withChars("äöü密😀=#")
        .ofMinLength(0)
        .ofMaxLength(30)
        .map(s -> MARKER + s.replace("\n", "").replace("\r", ""));
  }

  @Provide
  Arbitrary<List<String>> files() {
    return lines().list().ofMaxSize(12);
  }

  Arbitrary<String> lines() {
    Arbitrary<String> keys =
        Arbitraries.oneOf(
            Arbitraries.of(
                "SMTP_ENABLED",
                "SMTP_HOST",
                "SMTP_PORT",
                "SMTP_USERNAME",
                "SMTP_ENCRYPTION",
                "SMTP_TLSVERIFY",
                "OTHER",
                "smtp_host",
                "SMTP HOST",
                "",
                "#SMTP_HOST",
                " SMTP_PORT"),
            Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZ_ #-").ofMaxLength(12));
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.of(
                "1",
                "0",
                "",
                "587",
                "70000",
                "-1",
                "abc",
                "starttls",
                "TLS",
                "none",
                "ssl",
                "smtp.example.org",
                "[::1]",
                "::1",
                "bücher.example",
                "a b",
                "256.1.1.1",
                "x\u0000y",
                "\t"),
            Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20));
    Arbitrary<String> separators = Arbitraries.of("=", "=", "=", "", " = ");
    Arbitrary<String> endings = Arbitraries.of("\n", "\r\n", "\n\n");
    return Combinators.combine(keys, separators, values, endings).as((k, s, v, e) -> k + s + v + e);
  }

  @Property(tries = 10_000)
  void onlyConfigurationErrorsAndNeverThePassword(
      @ForAll("files") List<String> lines,
      @ForAll("secrets") String secret,
      @ForAll boolean withPassword) {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      if (withPassword && i == lines.size() / 2) {
        file.append("SMTP_PASSWORD=").append(secret).append('\n');
      }
      file.append(lines.get(i));
    }
    try {
      EnvSettings.parseFile("smarthost.env", file.toString().getBytes(StandardCharsets.UTF_8))
          .toSettings()
          .ifPresent(s -> assertThat(s.toString()).doesNotContain(MARKER));
    } catch (SmarthostConfigurationException e) {
      assertThat(e.getMessage()).startsWith("smarthost.env").doesNotContain(MARKER);
    }
  }

  @Property(tries = 10_000)
  void arbitraryBytesNeverEscapeAsAnotherException(@ForAll byte[] content) {
    try {
      EnvSettings.parseFile("f", content).toSettings();
    } catch (SmarthostConfigurationException e) {
      assertThat(e.source()).isEqualTo("f");
    }
  }
}
