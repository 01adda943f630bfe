package dev.smarthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SmarthostSettingsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "smtp.example.org, smtp.example.org",
    "SMTP.Example.ORG, smtp.example.org",
    "smtp.example.org., smtp.example.org",
    "mail, mail",
    "bücher.example, xn--bcher-kva.example",
    "192.0.2.10, 192.0.2.10",
    "::1, ::1",
    "[::1], ::1",
    "[2001:DB8::25], 2001:db8::25",
    "2001:db8:0:0:0:0:0:25, 2001:db8:0:0:0:0:0:25",
    "::ffff:192.0.2.1, ::ffff:192.0.2.1",
    "fe80::1%eth0, fe80::1%eth0",
  })
  void acceptsAndNormalizesHosts(String given, String expected) {
    assertThat(SmarthostSettings.builder().host(given).build().host()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " smtp.example.org",
        "smtp .example.org",
        "smtp.example.org\n",
        "smtp\u0000.example.org",
        "256.1.1.1",
        "1.2.3",
        "01.2.3.4",
        "[::1",
        "::1]",
        "[smtp.example.org]",
        "1:2:3:4:5:6:7:8:9",
        "1::2::3",
        "fe80::1%",
        "-smtp.example.org",
        "smtp..example.org",
        "exa_mple.org",
        "a.b:25",
      })
  void rejectsBadHostsNamingTheField(String host) {
    assertThatThrownBy(() -> SmarthostSettings.builder().host(host))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("host: ");
  }

  @Test
  void rejectsOverlongLabelAndName() {
    String label = "a".repeat(64);
    assertThatThrownBy(() -> SmarthostSettings.builder().host(label + ".example"))
        .hasMessageStartingWith("host: ");
    String name = ("a".repeat(60) + ".").repeat(5) + "org";
    assertThatThrownBy(() -> SmarthostSettings.builder().host(name))
        .hasMessageStartingWith("host: ");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65536, Integer.MAX_VALUE})
  void rejectsPortsOutOfRange(int port) {
    assertThatThrownBy(() -> SmarthostSettings.builder().port(port))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port: must be 1–65535, but was " + port);
  }

  @Test
  void defaultPortFollowsEncryption() {
    SmarthostSettings.Builder b = SmarthostSettings.builder().host("h");
    assertThat(b.encryption(Encryption.NONE).build().port()).isEqualTo(25);
    assertThat(b.encryption(Encryption.STARTTLS).build().port()).isEqualTo(587);
    assertThat(b.encryption(Encryption.TLS).build().port()).isEqualTo(465);
    assertThat(SmarthostSettings.builder().host("h").build().encryption())
        .isEqualTo(Encryption.STARTTLS);
    assertThat(SmarthostSettings.builder().host("h").build().verifyTls()).isTrue();
  }

  @Test
  void requiresHost() {
    assertThatThrownBy(() -> SmarthostSettings.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("host: required");
  }

  @Test
  void credentialsComeTogetherAndNeverShowThePassword() {
    String secret = "pä$$ wörd=#😀";
    assertThatThrownBy(() -> SmarthostSettings.builder().credentials("app", ""))
        .hasMessage("password: must be set when a username is set");
    assertThatThrownBy(() -> SmarthostSettings.builder().credentials("", secret))
        .hasMessage("username: must be set when a password is set")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secret));
    assertThatThrownBy(() -> SmarthostSettings.builder().credentials("a\r\nRCPT", secret))
        .hasMessage("username: must not contain control characters");

    SmarthostSettings s = SmarthostSettings.builder().host("h").credentials("app", secret).build();
    assertThat(s.username()).contains("app");
    assertThat(s.password()).contains(secret);
    assertThat(s.hasCredentials()).isTrue();
    assertThat(s.toString()).doesNotContain(secret).contains("password=****").contains("app");

    SmarthostSettings none = SmarthostSettings.builder().host("h").credentials("", "").build();
    assertThat(none.hasCredentials()).isFalse();
    assertThat(none.password()).isEmpty();
  }

  @Test
  void equalityIncludesThePassword() {
    SmarthostSettings a = SmarthostSettings.builder().host("h").credentials("u", "one").build();
    SmarthostSettings b = a.toBuilder().credentials("u", "two").build();
    assertThat(a).isNotEqualTo(b);
    assertThat(a.toBuilder().build()).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(a.toString()).isEqualTo(b.toString());
  }

  @Test
  void authorityBracketsIpv6() {
    assertThat(SmarthostSettings.builder().host("::1").port(25).build().authority())
        .isEqualTo("[::1]:25");
    assertThat(SmarthostSettings.builder().host("smtp.example.org").build().authority())
        .isEqualTo("smtp.example.org:587");
  }

  @Test
  void encryptionParsesTheClusterSpelling() {
    assertThat(Encryption.fromConfigValue("STARTTLS")).isEqualTo(Encryption.STARTTLS);
    assertThat(Encryption.fromConfigValue("tls")).isEqualTo(Encryption.TLS);
    assertThat(Encryption.fromConfigValue("none")).isEqualTo(Encryption.NONE);
    assertThatThrownBy(() -> Encryption.fromConfigValue("ssl"))
        .hasMessage("encryption: 'ssl' is not one of none, starttls, tls");
  }

  @Test
  void configurationExceptionNamesSourceLineAndKey() {
    SmarthostConfigurationException e =
        SmarthostConfigurationException.forLine("/etc/smarthost.env", 3, "SMTP_PORT", "bad");
    assertThat(e).hasMessage("/etc/smarthost.env line 3, SMTP_PORT: bad");
    assertThat(e.line()).hasValue(3);
    assertThat(e.key()).contains("SMTP_PORT");
    assertThat(SmarthostConfigurationException.forKey("environment", "SMTP_HOST", "x"))
        .hasMessage("environment, SMTP_HOST: x");
  }

  @Test
  void changeSaysWhetherItFailed() {
    SmarthostSettings s = SmarthostSettings.builder().host("h").build();
    SmarthostChange failed =
        SmarthostChange.failed(
            java.util.Optional.of(s),
            SmarthostConfigurationException.forKey("environment", "SMTP_PORT", "bad"));
    assertThat(failed.isFailure()).isTrue();
    assertThat(failed.current()).contains(s);
    SmarthostChange updated =
        SmarthostChange.updated(java.util.Optional.empty(), java.util.Optional.of(s));
    assertThat(updated.isFailure()).isFalse();
    assertThat(updated.previous()).isEmpty();
    assertThat(updated.current()).contains(s);
  }
}
