package dev.smarthost.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.internal.TransportConfig;
import dev.smarthost.core.oauth2.OAuth2Clients;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The mapping table: every encryption × verify on/off × credentials yes/no. */
class SmtpPropertiesTest {
  private static final SmtpOptions OPTIONS =
      SmtpOptions.builder()
          .ehloName("app.example.org")
          .connectTimeout(Duration.ofSeconds(10))
          .readTimeout(Duration.ofSeconds(30))
          .writeTimeout(Duration.ofSeconds(30))
          .build();

  static Stream<Arguments> table() {
    return Stream.of(
        // encryption, verify, creds, starttls.enable, starttls.required, ssl.enable
        Arguments.of(Encryption.NONE, true, false, "false", "false", "false"),
        Arguments.of(Encryption.NONE, true, true, "false", "false", "false"),
        Arguments.of(Encryption.NONE, false, false, "false", "false", "false"),
        Arguments.of(Encryption.NONE, false, true, "false", "false", "false"),
        Arguments.of(Encryption.STARTTLS, true, false, "true", "true", "false"),
        Arguments.of(Encryption.STARTTLS, true, true, "true", "true", "false"),
        Arguments.of(Encryption.STARTTLS, false, false, "true", "true", "false"),
        Arguments.of(Encryption.STARTTLS, false, true, "true", "true", "false"),
        Arguments.of(Encryption.TLS, true, false, "false", "false", "true"),
        Arguments.of(Encryption.TLS, true, true, "false", "false", "true"),
        Arguments.of(Encryption.TLS, false, false, "false", "false", "true"),
        Arguments.of(Encryption.TLS, false, true, "false", "false", "true"));
  }

  @ParameterizedTest(name = "{0} verify={1} credentials={2}")
  @MethodSource("table")
  void mapsExactly(
      Encryption encryption,
      boolean verify,
      boolean credentials,
      String starttlsEnable,
      String starttlsRequired,
      String sslEnable) {
    SmarthostSettings.Builder b =
        SmarthostSettings.builder()
            .host("smtp.example.org")
            .port(2525)
            .encryption(encryption)
            .verifyTls(verify);
    if (credentials) {
      b.credentials("app", "s3cret");
    }
    Properties p = SmtpProperties.of(b.build(), OPTIONS);

    Map<String, Object> expected = new TreeMap<>();
    expected.put("mail.transport.protocol", "smtp");
    expected.put("mail.smtp.host", "smtp.example.org");
    expected.put("mail.smtp.port", "2525");
    expected.put("mail.smtp.connectiontimeout", "10000");
    expected.put("mail.smtp.timeout", "30000");
    expected.put("mail.smtp.writetimeout", "30000");
    expected.put("mail.smtp.localhost", "app.example.org");
    expected.put("mail.smtp.starttls.enable", starttlsEnable);
    expected.put("mail.smtp.starttls.required", starttlsRequired);
    expected.put("mail.smtp.ssl.enable", sslEnable);
    expected.put("mail.smtp.socketFactory.fallback", "false");
    expected.put("mail.smtp.ssl.checkserveridentity", Boolean.toString(verify));
    expected.put("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
    expected.put("mail.smtp.auth", Boolean.toString(credentials));
    expected.put("mail.smtp.auth.mechanisms", "PLAIN LOGIN"); // PLAIN first; Angus' own: LOGIN
    expected.put("mail.debug.auth", "false");
    if (credentials) {
      expected.put("mail.smtp.user", "app");
    }

    Map<String, Object> strings = new TreeMap<>();
    p.forEach(
        (k, v) -> {
          if (v instanceof String) {
            strings.put((String) k, v);
          }
        });
    assertThat(strings).isEqualTo(expected);
    assertThat(p.get("mail.smtp.ssl.socketFactory"))
        .isInstanceOf(SSLSocketFactory.class)
        .isSameAs(OPTIONS.socketFactory(verify))
        .isNotSameAs(OPTIONS.socketFactory(!verify));
    assertThat(p.get("mail.smtp.executor.writetimeout"))
        .isInstanceOf(ScheduledExecutorService.class);
    assertThat(p)
        .doesNotContainKeys("mail.smtp.ssl.trust", "mail.smtps.host", "mail.smtp.password");
    assertThat(p.values()).noneMatch(v -> v.toString().contains("s3cret"));
    assertThat(p.get("mail.smtp.socketFactory"))
        .isInstanceOf(javax.net.SocketFactory.class)
        .isNotInstanceOf(SSLSocketFactory.class);
    assertThat(p.get(TransportConfig.PROPERTY))
        .isEqualTo(new TransportConfig(b.build(), OPTIONS.writeTimeout(), true, true, null));
    assertThat(p.keySet()).hasSize(expected.size() + 4);
  }

  @Test
  void pipeliningAndChunkingFollowTheOptionsAndAngusOwnBdatStaysOff() {
    SmarthostSettings s = SmarthostSettings.builder().host("smtp.example.org").build();
    Properties off =
        SmtpProperties.of(s, OPTIONS.toBuilder().pipelining(false).chunking(false).build());
    assertThat(off.get(TransportConfig.PROPERTY))
        .isInstanceOfSatisfying(
            TransportConfig.class,
            c -> {
              assertThat(c.pipelining()).isFalse();
              assertThat(c.chunking()).isFalse();
            });
    // Angus' BDAT dot-stuffs the message (angus-mail#209): chunksize must never be set
    assertThat(SmtpProperties.of(s, OPTIONS)).doesNotContainKey("mail.smtp.chunksize");
    assertThat(off).doesNotContainKey("mail.smtp.chunksize");
  }

  @Test
  void isPureForEqualInput() {
    SmarthostSettings s = SmarthostSettings.builder().host("h").build();
    assertThat(SmtpProperties.of(s, OPTIONS)).isEqualTo(SmtpProperties.of(s, OPTIONS));
  }

  @Test
  void ipv6HostIsPassedWithoutBrackets() {
    SmarthostSettings s = SmarthostSettings.builder().host("[::1]").build();
    assertThat(SmtpProperties.of(s, OPTIONS).getProperty("mail.smtp.host")).isEqualTo("::1");
  }

  @Test
  void defaultTimeoutsAreFinite() {
    Properties p =
        SmtpProperties.of(SmarthostSettings.builder().host("h").build(), SmtpOptions.defaults());
    assertThat(p.getProperty("mail.smtp.connectiontimeout")).isEqualTo("10000");
    assertThat(p.getProperty("mail.smtp.timeout")).isEqualTo("30000");
    assertThat(p.getProperty("mail.smtp.writetimeout")).isEqualTo("30000");
    assertThat(p.getProperty("mail.smtp.localhost")).isNotBlank();
  }

  @Test
  void oauth2AllowsOnlyXoauth2AndCarriesTheTokenCacheNotAPassword() {
    SmarthostSettings settings =
        SmarthostSettings.builder()
            .host("smtp.office365.com")
            .oauth2(
                "box@contoso.com",
                OAuth2Clients.microsoft365("contoso.onmicrosoft.com", "app", "secret-value"))
            .build();
    Properties p = SmtpProperties.of(settings, OPTIONS);
    assertThat(p.getProperty("mail.smtp.auth")).isEqualTo("true");
    assertThat(p.getProperty("mail.smtp.user")).isEqualTo("box@contoso.com");
    assertThat(p.getProperty("mail.smtp.auth.mechanisms")).isEqualTo("XOAUTH2");
    assertThat(((TransportConfig) p.get(TransportConfig.PROPERTY)).login()).isNotNull();
    assertThat(p.values()).noneMatch(v -> String.valueOf(v).contains("secret-value"));
    assertThat(SmtpProperties.of(settings, OPTIONS)).isEqualTo(p); // pure
    assertThat(settings.oauth2Client().orElseThrow().tokenEndpoint().toString())
        .isEqualTo("https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");

    Properties password =
        SmtpProperties.of(settings.toBuilder().credentials("u", "p").build(), OPTIONS);
    assertThat(password.getProperty("mail.smtp.auth.mechanisms")).isEqualTo("PLAIN LOGIN");
    assertThat(((TransportConfig) password.get(TransportConfig.PROPERTY)).login()).isNull();
  }
}
