package dev.smarthost.core.oauth2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A token endpoint's own text is third-party text: passed on short, plain and without the secret.
 */
class TokenDescriptionTest {
  @Test
  void aHostileDescriptionIsShortPlainAndWithoutTheSecret() {
    String hostile =
        "<script>alert('x')</script>\u001b[31m secret=S3cr3t-Value \u202e"
            + "AADSTS7000215: Invalid client secret provided. "
            + "x".repeat(400);
    String shown = NimbusClientCredentials.describe(hostile, "S3cr3t-Value");
    assertThat(shown).startsWith(": ");
    assertThat(shown.length()).isLessThanOrEqualTo(2 + NimbusClientCredentials.MAX_DESCRIPTION + 1);
    assertThat(shown)
        .doesNotContain("S3cr3t-Value", "<", ">", "'", "\u001b", "\u202e")
        .contains("script alert( x ) /script")
        .contains("secret=****")
        .endsWith("…");
    assertThat(NimbusClientCredentials.describe("  ", "S3cr3t-Value")).isEmpty();
    assertThat(NimbusClientCredentials.describe("AADSTS70011: bad\r\nscope", "S3cr3t-Value"))
        .isEqualTo(": AADSTS70011: bad scope");
  }
}
