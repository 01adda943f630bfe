package dev.smarthost.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.SettingsCodec;
import dev.smarthost.SmarthostConfigurationException;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The Redis field parser on 10,000 generated hashes: documented exceptions only, never the
 * password.
 */
class FieldParserFuzzTest {
  static final String MARKER = "S3CR3T";

  @Provide
  Arbitrary<Map<String, String>> hashes() {
    Arbitrary<String> fields =
        Arbitraries.of(
            "host", "port", "username", "enabled", "encrypt_smtp", "tls_verify", "other");
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.of(
                "1",
                "0",
                "",
                "587",
                "x",
                "99999",
                "starttls",
                "tls",
                "none",
                "ssl",
                "smtp.example.org",
                "::1",
                "[::1]",
                "a b",
                "app"),
            Arbitraries.strings().all().ofMaxLength(16));
    return Arbitraries.maps(fields, values).ofMaxSize(7);
  }

  @Property(tries = 10_000)
  void onlyConfigurationErrorsNamingTheField(
      @ForAll("hashes") Map<String, String> hash,
      @ForAll String password,
      @ForAll boolean withPassword) {
    Map<String, String> fields = new HashMap<>(hash);
    if (withPassword) {
      fields.put("password", MARKER + password);
    }
    try {
      SettingsCodec.REDIS
          .decode("redis cluster/smarthost", fields)
          .ifPresent(s -> assertThat(s.toString()).doesNotContain(MARKER));
    } catch (SmarthostConfigurationException e) {
      assertThat(e.source()).isEqualTo("redis cluster/smarthost");
      assertThat(e.key()).isPresent();
      assertThat(e.getMessage()).doesNotContain(MARKER);
    }
  }
}
