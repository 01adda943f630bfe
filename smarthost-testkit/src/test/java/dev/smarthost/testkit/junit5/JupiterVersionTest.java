package dev.smarthost.testkit.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

class JupiterVersionTest {

  @Test
  void olderThanFiveNineIsRefusedWithTheVersionItNeeds() {
    assertThat(JupiterVersion.unsupported("5.8.2"))
        .isEqualTo(
            "smarthost-testkit needs JUnit Jupiter 5.9 or newer; the test class path has 5.8.2"
                + " (set org.junit:junit-bom to 5.9.0 or newer)");
    assertThat(JupiterVersion.unsupported("5.0.0")).contains("5.9 or newer");
    assertThat(JupiterVersion.unsupported("4.13")).contains("5.9 or newer");
  }

  @Test
  void fiveNineAndNewerIncludingSixAreAccepted() {
    for (String v : new String[] {"5.9.0", "5.9.3", "5.10.2", "5.14.4", "6.0.0-M1", "6.1.3", "7"}) {
      assertThat(JupiterVersion.unsupported(v)).as(v).isNull();
    }
  }

  @Test
  void anUnknownVersionIsGivenTheBenefitOfTheDoubt() {
    assertThat(JupiterVersion.unsupported(null)).isNull();
    assertThat(JupiterVersion.unsupported("snapshot")).isNull();
  }

  @Test
  void theJUnitOfThisBuildIsSupportedAndKnown() {
    String version = ExtensionContext.class.getPackage().getImplementationVersion();
    assertThat(version).isNotNull();
    assertThat(JupiterVersion.unsupported(version)).isNull();
  }
}
