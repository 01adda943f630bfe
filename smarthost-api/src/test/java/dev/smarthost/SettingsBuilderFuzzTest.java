package dev.smarthost;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The settings builder on 10,000 generated inputs: IllegalArgumentException naming the field, never
 * the password.
 */
class SettingsBuilderFuzzTest {
  static final String MARKER = "S3CR3T";

  @Provide
  Arbitrary<String> hosts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(70),
        Arbitraries.strings().withChars("abc.-:[]0123456789ü_ ").ofMaxLength(40),
        Arbitraries.of(
            "smtp.example.org", "[::1]", "::1", "1.2.3.4", "", " ", "xn--bcher-kva.example"));
  }

  @Property(tries = 10_000)
  void invalidInputIsReportedByField(
      @ForAll("hosts") String host,
      @ForAll int port,
      @ForAll String user,
      @ForAll String password,
      @ForAll Encryption encryption) {
    String secret = MARKER + password;
    SmarthostSettings.Builder b = SmarthostSettings.builder().encryption(encryption);
    try {
      b.host(host);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("host: ");
    }
    try {
      b.port(port);
      assertThat(port).isBetween(1, 65535);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).startsWith("port: ");
    }
    try {
      b.credentials(user, secret);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).matches("(username|password): .*").doesNotContain(MARKER);
    }
    try {
      SmarthostSettings s = b.build();
      assertThat(s.toString()).doesNotContain(MARKER);
      assertThat(s.port()).isBetween(1, 65535);
    } catch (IllegalStateException e) {
      assertThat(e.getMessage()).isEqualTo("host: required");
    }
  }
}
