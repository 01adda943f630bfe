package dev.smarthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SettingsCodecTest {
  static final SmarthostSettings FULL =
      SmarthostSettings.builder()
          .host("[2001:db8::25]")
          .port(2525)
          .encryption(Encryption.TLS)
          .verifyTls(false)
          .credentials("ü@example.org", " Pä$$ =#wörd 密码 ")
          .build();

  static final String SECRET = "cl13nt~s3cr3t=#";

  static final SmarthostSettings OAUTH =
      SmarthostSettings.builder()
          .host("smtp.office365.com")
          .encryption(Encryption.STARTTLS)
          .oauth2(
              "notifications@contoso.com",
              OAuth2Client.of(
                  URI.create("https://login.microsoftonline.com/contoso/oauth2/v2.0/token"),
                  "app-id",
                  SECRET,
                  "https://outlook.office365.com/.default"))
          .build();

  @Test
  void theTwoSpellingsOfEachField() {
    assertThat(SettingsCodec.ENV_FILE.key(SettingsField.HOST)).isEqualTo("SMTP_HOST");
    assertThat(SettingsCodec.REDIS.key(SettingsField.ENCRYPTION)).isEqualTo("encrypt_smtp");
    assertThat(SettingsCodec.ENV_FILE.key(SettingsField.VERIFY_TLS)).isEqualTo("SMTP_TLSVERIFY");
    assertThat(SettingsCodec.REDIS.key(SettingsField.VERIFY_TLS)).isEqualTo("tls_verify");
  }

  @Test
  void whatIsEncodedDecodesToTheSameSettingsInBothSpellings() {
    for (SettingsCodec codec : new SettingsCodec[] {SettingsCodec.ENV_FILE, SettingsCodec.REDIS}) {
      assertThat(codec.decode("test", codec.encode(FULL))).as(codec.toString()).contains(FULL);
      assertThat(codec.decode("test", codec.encode(OAUTH))).as(codec.toString()).contains(OAUTH);
      SmarthostSettings plain = SmarthostSettings.builder().host("relay.local").build();
      assertThat(codec.decode("test", codec.encode(plain))).contains(plain);
      assertThat(codec.decode("test", codec.encodeDisabled())).isEmpty();
      assertThat(codec.decode("test", Map.of())).isEmpty();
    }
    assertThat(SettingsCodec.ENV_FILE.encode(FULL)).containsEntry("SMTP_TLSVERIFY", "");
    assertThat(SettingsCodec.REDIS.encode(FULL)).containsEntry("tls_verify", "0");
    assertThat(SettingsCodec.ENV_FILE.encodeDisabled()).isEqualTo(Map.of("SMTP_ENABLED", ""));
    assertThat(SettingsCodec.REDIS.encodeDisabled()).isEqualTo(Map.of("enabled", "0"));
  }

  @Test
  void oauth2KeysAreWrittenOnlyForOAuth2() {
    assertThat(SettingsCodec.REDIS.encode(FULL).keySet())
        .containsExactly(
            "enabled", "host", "port", "username", "password", "encrypt_smtp", "tls_verify");
    assertThat(SettingsCodec.ENV_FILE.encode(OAUTH))
        .containsEntry("SMTP_PASSWORD", "")
        .containsEntry("SMTP_USERNAME", "notifications@contoso.com")
        .containsEntry(
            "SMTP_OAUTH2_TOKEN_URL", "https://login.microsoftonline.com/contoso/oauth2/v2.0/token")
        .containsEntry("SMTP_OAUTH2_CLIENT_ID", "app-id")
        .containsEntry("SMTP_OAUTH2_CLIENT_SECRET", SECRET)
        .containsEntry("SMTP_OAUTH2_SCOPE", "https://outlook.office365.com/.default");
    SmarthostSettings decoded =
        SettingsCodec.ENV_FILE.decode("env", SettingsCodec.ENV_FILE.encode(OAUTH)).orElseThrow();
    assertThat(decoded.authentication()).isEqualTo(Authentication.OAUTH2);
    assertThat(decoded.password()).isEmpty();
    assertThat(decoded.toString()).doesNotContain(SECRET).contains("clientSecret=****");
  }

  @Test
  void aPasswordAndOAuth2KeysTogetherIsAnErrorNamingBoth() {
    Map<String, String> values = new HashMap<>(SettingsCodec.ENV_FILE.encode(OAUTH));
    values.put("SMTP_PASSWORD", "pw-that-must-not-show");
    assertThatThrownBy(() -> SettingsCodec.ENV_FILE.decode("f.env", values, Map.of()))
        .isInstanceOfSatisfying(
            SmarthostConfigurationException.class,
            e -> {
              assertThat(e.field()).hasValue(SettingsField.PASSWORD);
              assertThat(e.getMessage())
                  .contains("SMTP_PASSWORD", "SMTP_OAUTH2_TOKEN_URL")
                  .doesNotContain("pw-that-must-not-show")
                  .doesNotContain(SECRET);
            });
  }

  @Test
  void oauth2WithoutAMailboxOrWithOnlySomeKeysNamesTheMissingOne() {
    Map<String, String> noUser = new HashMap<>(SettingsCodec.REDIS.encode(OAUTH));
    noUser.put("username", "");
    assertThatThrownBy(() -> SettingsCodec.REDIS.decode("redis", noUser))
        .isInstanceOfSatisfying(
            SmarthostConfigurationException.class,
            e -> assertThat(e.field()).hasValue(SettingsField.USERNAME));
    Map<String, String> onlyUrl =
        Map.of(
            "SMTP_ENABLED", "1",
            "SMTP_HOST", "h",
            "SMTP_USERNAME", "u",
            "SMTP_OAUTH2_TOKEN_URL", "https://idp.example/token");
    assertThatThrownBy(() -> SettingsCodec.ENV_FILE.decode("env", onlyUrl))
        .isInstanceOfSatisfying(
            SmarthostConfigurationException.class,
            e -> {
              assertThat(e.field()).hasValue(SettingsField.OAUTH2_CLIENT_ID);
              assertThat(e.getMessage()).contains("SMTP_OAUTH2_CLIENT_ID");
            });
    Map<String, String> onlyScope =
        Map.of("SMTP_ENABLED", "1", "SMTP_HOST", "h", "SMTP_OAUTH2_SCOPE", "s");
    assertThat(SettingsCodec.ENV_FILE.decode("env", onlyScope).orElseThrow().authentication())
        .as("a scope alone does not switch OAuth 2.0 on")
        .isEqualTo(Authentication.NONE);
  }

  @Test
  void absentFieldsTakeEachFormatsDefaults() {
    SmarthostSettings env =
        SettingsCodec.ENV_FILE
            .decode("env", Map.of("SMTP_ENABLED", "1", "SMTP_HOST", "h", "SMTP_ENCRYPTION", "tls"))
            .orElseThrow();
    assertThat(env.port()).isEqualTo(465); // the encryption's default
    assertThat(env.verifyTls()).isTrue();
    SmarthostSettings redis =
        SettingsCodec.REDIS
            .decode("redis", Map.of("enabled", "1", "host", "h", "encrypt_smtp", "tls"))
            .orElseThrow();
    assertThat(redis.port()).isEqualTo(587); // the cluster's default for the hash
    assertThat(redis.encryption()).isEqualTo(Encryption.TLS);
  }

  @ParameterizedTest
  @EnumSource(SettingsField.class)
  void everyErrorNamesTheFieldAndTheKeyAndNeverThePassword(SettingsField field) {
    Map<String, String> values =
        new HashMap<>(SettingsCodec.ENV_FILE.encode(field.isOAuth2() ? OAUTH : FULL));
    String key = SettingsCodec.ENV_FILE.key(field);
    values.put(
        key,
        switch (field) {
          case ENABLED -> "yes";
          case HOST -> "smtp example";
          case PORT -> "x";
          case ENCRYPTION -> "ssl";
          case VERIFY_TLS -> "true";
          case USERNAME -> "";
          case PASSWORD -> "";
          case OAUTH2_TOKEN_URL -> "http://idp.example/token"; // not https
          case OAUTH2_CLIENT_ID -> "";
          case OAUTH2_CLIENT_SECRET -> "";
          case OAUTH2_SCOPE -> "a\u0001b";
        });
    assertThatThrownBy(() -> SettingsCodec.ENV_FILE.decode("f.env", values, Map.of(key, 4)))
        .isInstanceOfSatisfying(
            SmarthostConfigurationException.class,
            e -> {
              assertThat(e.field()).hasValue(field);
              assertThat(e.getMessage()).doesNotContain(FULL.password().orElseThrow().strip());
              assertThat(e.getMessage()).doesNotContain(SECRET);
              assertThat(e.source()).isEqualTo("f.env");
            });
  }

  @Test
  void theBuildersProblemsCarryTheirField() {
    assertThatThrownBy(() -> SmarthostSettings.builder().port(0))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> {
              assertThat(e.field()).isEqualTo(SettingsField.PORT);
              assertThat(e.problem()).isEqualTo("must be 1–65535, but was 0");
              assertThat(e).hasMessage("port: must be 1–65535, but was 0");
            });
    assertThatThrownBy(() -> SmarthostSettings.normalizeHost("a b"))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> assertThat(e.field()).isEqualTo(SettingsField.HOST));
    assertThatThrownBy(() -> Encryption.fromConfigValue("ssl"))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> assertThat(e.field()).isEqualTo(SettingsField.ENCRYPTION));
    assertThat(SmarthostSettings.authority("[2001:DB8::25]", 25)).isEqualTo("[2001:db8::25]:25");
    assertThat(SmarthostSettings.normalizeHost("Bücher.Example"))
        .isEqualTo("xn--bcher-kva.example");
  }
}
