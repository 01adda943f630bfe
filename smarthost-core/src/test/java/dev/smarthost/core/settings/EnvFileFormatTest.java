package dev.smarthost.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The env file format (docs/configuration.md), line by line: good files and bad ones. */
class EnvFileFormatTest {
  private static final String BASE = "SMTP_ENABLED=1\nSMTP_HOST=smtp.example.org\n";

  @TempDir Path dir;

  static SmarthostSettings.Builder base() {
    return SmarthostSettings.builder().host("smtp.example.org");
  }

  static Stream<Arguments> good() {
    return Stream.of(
        Arguments.of("minimal: starttls on 587, verify on", BASE, base().build()),
        Arguments.of(
            "full file",
            "SMTP_ENABLED=1\nSMTP_HOST=smtp.example.org\nSMTP_PORT=587\nSMTP_USERNAME=user\n"
                + "SMTP_PASSWORD=secret\nSMTP_ENCRYPTION=starttls\nSMTP_TLSVERIFY=1\n",
            base().port(587).credentials("user", "secret").build()),
        Arguments.of(
            "password with = # spaces and UTF-8, verbatim",
            BASE + "SMTP_USERNAME=u\nSMTP_PASSWORD= a=b #c  Pässwörd😀 \n",
            base().credentials("u", " a=b #c  Pässwörd😀 ").build()),
        Arguments.of(
            "CRLF line endings",
            "SMTP_ENABLED=1\r\nSMTP_HOST=smtp.example.org\r\nSMTP_USERNAME=u\r\nSMTP_PASSWORD=p\r\n",
            base().credentials("u", "p").build()),
        Arguments.of(
            "comments and blank lines",
            "# written by the cluster\n\n" + BASE + "\n   \n",
            base().build()),
        Arguments.of(
            "no trailing newline", "SMTP_ENABLED=1\nSMTP_HOST=smtp.example.org", base().build()),
        Arguments.of("UTF-8 byte order mark", "\uFEFF" + BASE, base().build()),
        Arguments.of(
            "none", BASE + "SMTP_ENCRYPTION=none\n", base().encryption(Encryption.NONE).build()),
        Arguments.of(
            "tls, default port 465",
            BASE + "SMTP_ENCRYPTION=tls\n",
            base().encryption(Encryption.TLS).port(465).build()),
        Arguments.of(
            "encryption is case-insensitive", BASE + "SMTP_ENCRYPTION=STARTTLS\n", base().build()),
        Arguments.of("port 2525", BASE + "SMTP_PORT=2525\n", base().port(2525).build()),
        Arguments.of("empty port means the default", BASE + "SMTP_PORT=\n", base().build()),
        Arguments.of(
            "TLSVERIFY empty means do not verify",
            BASE + "SMTP_TLSVERIFY=\n",
            base().verifyTls(false).build()),
        Arguments.of(
            "both credentials empty means none",
            BASE + "SMTP_USERNAME=\nSMTP_PASSWORD=\n",
            base().build()),
        Arguments.of("unknown keys are ignored", BASE + "OTHER_APP_KEY=1\n", base().build()),
        Arguments.of(
            "later key wins",
            BASE + "SMTP_HOST=mail.example.org\n",
            base().host("mail.example.org").build()),
        Arguments.of(
            "IPv6 without brackets",
            "SMTP_ENABLED=1\nSMTP_HOST=2001:db8::25\n",
            SmarthostSettings.builder().host("2001:db8::25").build()),
        Arguments.of(
            "IPv6 with brackets",
            "SMTP_ENABLED=1\nSMTP_HOST=[2001:db8::25]\n",
            SmarthostSettings.builder().host("2001:db8::25").build()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  void readsGoodFiles(String name, String content, SmarthostSettings expected) throws IOException {
    assertThat(resolve(content)).contains(expected);
  }

  static Stream<Arguments> off() {
    return Stream.of(
        Arguments.of("enabled empty", "SMTP_ENABLED=\nSMTP_HOST=smtp.example.org\n"),
        Arguments.of("enabled absent", "SMTP_HOST=smtp.example.org\n"),
        Arguments.of("enabled 0", "SMTP_ENABLED=0\nSMTP_HOST=smtp.example.org\n"),
        Arguments.of("empty file", ""),
        Arguments.of("off even when the rest is broken", "SMTP_ENABLED=\nSMTP_PORT=banana\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("off")
  void switchedOffIsEmpty(String name, String content) throws IOException {
    assertThat(resolve(content)).isEmpty();
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of(
            "port not a number", BASE + "SMTP_PORT=abc\n", 3, "SMTP_PORT", "'abc' is not a number"),
        Arguments.of(
            "port out of range",
            BASE + "SMTP_PORT=70000\n",
            3,
            "SMTP_PORT",
            "'70000' is not a port (1–65535)"),
        Arguments.of(
            "port zero", BASE + "SMTP_PORT=0\n", 3, "SMTP_PORT", "'0' is not a port (1–65535)"),
        Arguments.of(
            "port with a space", BASE + "SMTP_PORT= 25\n", 3, "SMTP_PORT", "' 25' is not a number"),
        Arguments.of(
            "unknown encryption",
            BASE + "SMTP_ENCRYPTION=ssl\n",
            3,
            "SMTP_ENCRYPTION",
            "'ssl' is not one of none, starttls, tls"),
        Arguments.of(
            "enabled not 1",
            "SMTP_ENABLED=yes\nSMTP_HOST=h\n",
            1,
            "SMTP_ENABLED",
            "'yes' is not 1 (on), or 0 or empty (off)"),
        Arguments.of(
            "host missing", "SMTP_ENABLED=1\n", 0, "SMTP_HOST", "required when SMTP_ENABLED=1"),
        Arguments.of(
            "host empty",
            "SMTP_ENABLED=1\nSMTP_HOST=\n",
            2,
            "SMTP_HOST",
            "required when SMTP_ENABLED=1"),
        Arguments.of(
            "host with a space",
            "SMTP_ENABLED=1\nSMTP_HOST=smtp example\n",
            2,
            "SMTP_HOST",
            "must not contain spaces, but was 'smtp example'"),
        Arguments.of(
            "tlsverify not 1",
            BASE + "SMTP_TLSVERIFY=true\n",
            3,
            "SMTP_TLSVERIFY",
            "'true' is not 1 (verify), or 0 or empty (don't)"),
        Arguments.of(
            "username without password",
            BASE + "SMTP_USERNAME=u\n",
            0,
            "SMTP_PASSWORD",
            "required when SMTP_USERNAME is set"),
        Arguments.of(
            "password without username",
            BASE + "SMTP_PASSWORD=hunter2\n",
            0,
            "SMTP_USERNAME",
            "required when SMTP_PASSWORD is set"),
        Arguments.of(
            "line without =", BASE + "SMTP_PASSWORD_fragment\n", 3, null, "expected KEY=value"),
        Arguments.of(
            "bad key",
            BASE + "SMTP HOST=x\n",
            3,
            null,
            "the text before '=' is not a valid key (letters, digits and _ only)"),
        Arguments.of(
            "password wrapped onto the next line",
            BASE + "SMTP_USERNAME=u\nSMTP_PASSWORD=first-half\nwrapped-P@ss=second\n",
            5,
            null,
            "the text before '=' is not a valid key (letters, digits and _ only)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void rejectsBadFilesNamingLineAndKey(
      String name, String content, int line, String key, String problem) throws IOException {
    Path file = write(content);
    assertThatThrownBy(() -> EnvFileSmarthostResolver.of(file).resolve())
        .isInstanceOfSatisfying(
            SmarthostConfigurationException.class,
            e -> {
              assertThat(e.source()).isEqualTo(file.toString());
              if (line > 0) {
                assertThat(e.line()).hasValue(line);
                assertThat(e.getMessage()).startsWith(file + " line " + line);
              } else {
                assertThat(e.line()).isEmpty();
                assertThat(e.getMessage()).startsWith(file + ", " + key + ": ");
              }
              assertThat(e.key()).isEqualTo(Optional.ofNullable(key));
              assertThat(e.getMessage())
                  .doesNotContain("wrapped-P@ss")
                  .doesNotContain("first-half");
              assertThat(e.problem()).isEqualTo(problem);
              assertThat(e.getMessage()).doesNotContain("hunter2");
            });
  }

  @Test
  void rejectsInvalidUtf8() throws IOException {
    Path file = dir.resolve("smarthost.env");
    Files.write(file, new byte[] {'S', 'M', 'T', 'P', '=', (byte) 0xC3, (byte) 0x28});
    assertThatThrownBy(() -> EnvFileSmarthostResolver.of(file).resolve())
        .isInstanceOf(SmarthostConfigurationException.class)
        .hasMessageEndingWith(": not valid UTF-8");
  }

  @Test
  void missingFileIsAnErrorUnlessOptional() {
    Path file = dir.resolve("absent.env");
    assertThatThrownBy(() -> EnvFileSmarthostResolver.of(file).resolve())
        .isInstanceOf(SmarthostConfigurationException.class)
        .hasMessage(file + ": file not found");
    assertThat(EnvFileSmarthostResolver.builder(file).optional(true).build().resolve()).isEmpty();
  }

  @Test
  void environmentUsesTheSameKeys() {
    assertThat(
            EnvironmentSmarthostResolver.of(
                    Map.of(
                        "SMTP_ENABLED", "1",
                        "SMTP_HOST", "smtp.example.org",
                        "SMTP_ENCRYPTION", "tls",
                        "SMTP_USERNAME", "u",
                        "SMTP_PASSWORD", "p=#",
                        "PATH", "/usr/bin"))
                .resolve())
        .contains(base().encryption(Encryption.TLS).credentials("u", "p=#").build());
    assertThatThrownBy(
            () ->
                EnvironmentSmarthostResolver.of(
                        Map.of("SMTP_ENABLED", "1", "SMTP_HOST", "h", "SMTP_PORT", "x"))
                    .resolve())
        .isInstanceOf(SmarthostConfigurationException.class)
        .hasMessage("environment, SMTP_PORT: 'x' is not a number");
    assertThat(EnvironmentSmarthostResolver.of(Map.of()).resolve()).isEmpty();
  }

  private Optional<SmarthostSettings> resolve(String content) throws IOException {
    return EnvFileSmarthostResolver.of(write(content)).resolve();
  }

  private Path write(String content) throws IOException {
    Path file = dir.resolve("smarthost.env");
    Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    return file;
  }
}
