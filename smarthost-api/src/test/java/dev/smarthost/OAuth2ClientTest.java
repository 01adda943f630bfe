package dev.smarthost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OAuth2ClientTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://login.microsoftonline.com/t/oauth2/v2.0/token",
        "https://localhost:8080/default/token",
        "http://127.0.0.1:1234/token",
        "http://127.5.6.7:1234/token",
        "http://[::1]:1234/token"
      })
  void acceptsHttpsAndPlainHttpOnlyOnLoopback(String url) {
    assertThat(OAuth2Client.of(URI.create(url), "id", "secret", "").tokenEndpoint())
        .isEqualTo(URI.create(url));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://idp.example/token",
        "http://10.0.0.1/token",
        // names are resolved: /etc/hosts or DNS can map them anywhere (security round 3, item 2)
        "http://localhost:8080/default/token",
        "http://idp.localhost:8080/token",
        "ftp://idp.example/token",
        "/relative/token",
        "https://user:pw@idp.example/token",
        "https://idp.example/token#x"
      })
  void refusesEndpointsThatWouldExposeTheSecret(String url) {
    assertThatThrownBy(() -> OAuth2Client.of(URI.create(url), "id", "s3cr3t-value", ""))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> {
              assertThat(e.field()).isEqualTo(SettingsField.OAUTH2_TOKEN_URL);
              assertThat(e.getMessage()).doesNotContain("s3cr3t-value").doesNotContain(":pw");
            });
  }

  @Test
  void eachFieldIsCheckedAndNamed() {
    URI uri = URI.create("https://idp.example/token");
    assertThatThrownBy(() -> OAuth2Client.of(uri, " ", "s", ""))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> assertThat(e.field()).isEqualTo(SettingsField.OAUTH2_CLIENT_ID));
    assertThatThrownBy(() -> OAuth2Client.of(uri, "id", "", ""))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> assertThat(e.field()).isEqualTo(SettingsField.OAUTH2_CLIENT_SECRET));
    assertThatThrownBy(() -> OAuth2Client.of(uri, "id", "s3cr\net", ""))
        .isInstanceOfSatisfying(
            InvalidSettingException.class,
            e -> {
              assertThat(e.field()).isEqualTo(SettingsField.OAUTH2_CLIENT_SECRET);
              assertThat(e.getMessage()).doesNotContain("s3cr");
            });
    assertThat(OAuth2Client.of(uri, "id", "s", "  ").scope()).isEmpty();
    assertThat(OAuth2Client.of(uri, "id", "s", " a b ").scope()).hasValue("a b");
  }

  @Test
  void theSecretIsMaskedButCountsForEquality() {
    URI uri = URI.create("https://idp.example/token");
    OAuth2Client a = OAuth2Client.of(uri, "id", "first-secret", "s");
    OAuth2Client b = OAuth2Client.of(uri, "id", "second-secret", "s");
    assertThat(a).isNotEqualTo(b).isEqualTo(OAuth2Client.of(uri, "id", "first-secret", "s"));
    assertThat(a.toString()).doesNotContain("first-secret").contains("clientSecret=****", "id");
    SmarthostSettings settings = SmarthostSettings.builder().host("h").oauth2("box@x", a).build();
    assertThat(settings.toString()).doesNotContain("first-secret").doesNotContain("password");
    assertThat(settings.hasCredentials()).isTrue();
    assertThat(settings.toBuilder().credentials("u", "p").build().oauth2Client()).isEmpty();
    assertThat(settings.toBuilder().noCredentials().build().authentication())
        .isEqualTo(Authentication.NONE);
  }
}
