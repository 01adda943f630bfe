package dev.smarthost.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.testkit.SmarthostServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Spring developer review, item 4: bad settings are said at startup, naming the file and the key;
 * bad properties stop the application with a report naming the property; {@code
 * smarthost.validate-on-startup} makes a failed check stop it.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class StartupProblemsTest {
  @TempDir Path dir;

  private static ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(App.class)
        .web(WebApplicationType.NONE)
        .properties(properties)
        .run();
  }

  @Test
  void badEnvFileValuesAreOneWarningNamingFileAndKeyAndTheApplicationStarts(CapturedOutput output)
      throws Exception {
    Path env = dir.resolve("smarthost.env");
    for (String bad :
        new String[] {
          "SMTP_ENABLED=1\nSMTP_HOST=mail.example.org\nSMTP_PORT=99999\n",
          "SMTP_ENABLED=1\nSMTP_PORT=587\n",
          "SMTP_ENABLED=1\nSMTP_HOST=mail.example.org\nSMTP_ENCRYPTION=ssl\n"
        }) {
      Files.writeString(env, bad);
      try (ConfigurableApplicationContext context = start("smarthost.env-file=" + env)) {
        assertThat(context.isRunning()).isTrue();
      }
    }
    assertThat(output.getAll().lines().filter(l -> l.contains("WARN")))
        .hasSize(3)
        .allSatisfy(l -> assertThat(l).contains("smarthost.env-file " + env).contains("unusable"))
        .anySatisfy(l -> assertThat(l).contains("SMTP_PORT"))
        .anySatisfy(l -> assertThat(l).contains("SMTP_HOST"))
        .anySatisfy(l -> assertThat(l).contains("SMTP_ENCRYPTION"));
  }

  @Test
  void aMissingEnvFileIsAWarning(CapturedOutput output) {
    Path missing = dir.resolve("nowhere.env");
    try (ConfigurableApplicationContext context = start("smarthost.env-file=" + missing)) {
      assertThat(context.isRunning()).isTrue();
    }
    assertThat(output.getAll().lines().filter(l -> l.contains("WARN")))
        .singleElement()
        .satisfies(l -> assertThat(l).contains(missing.toString()));
  }

  @Test
  void validateOnStartupStopsTheApplicationWithTheCheckAndWhatToDo(CapturedOutput output)
      throws Exception {
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer server = SmarthostServer.builder().start()) {
      server.writeEnvFile(env); // its certificate is signed by its own CA, which nobody trusts
      assertThatThrownBy(
              () -> start("smarthost.env-file=" + env, "smarthost.validate-on-startup=true"))
          .hasRootCauseInstanceOf(SmarthostStartupException.CheckFailed.class);
    }
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains("CERTIFICATE_UNTRUSTED")
        .contains("smarthost.ssl.bundle")
        .contains("smarthost.validate-on-startup=false");
  }

  @Test
  void validateOnStartupPassesForAGoodServer() throws Exception {
    Path env = dir.resolve("smarthost.env");
    Path ca = dir.resolve("ca.p12");
    try (SmarthostServer server = SmarthostServer.builder().start()) {
      server.writeEnvFile(env);
      try (var out = Files.newOutputStream(ca)) {
        server.trustStore().store(out, "changeit".toCharArray());
      }
      try (ConfigurableApplicationContext context =
          start(
              "smarthost.env-file=" + env,
              "smarthost.validate-on-startup=true",
              "smarthost.ssl.bundle=smarthost",
              "spring.ssl.bundle.jks.smarthost.truststore.location=file:" + ca,
              "spring.ssl.bundle.jks.smarthost.truststore.password=changeit",
              "spring.ssl.bundle.jks.smarthost.truststore.type=PKCS12")) {
        assertThat(context.isRunning()).isTrue();
        assertThat(server.connectionCount()).isEqualTo(1);
      }
    }
  }

  @Test
  void aBadPropertyIsNamedInTheReport(CapturedOutput output) throws Exception {
    Path env = dir.resolve("smarthost.env");
    Files.writeString(env, "SMTP_ENABLED=0\n");
    assertThatThrownBy(
            () -> start("smarthost.env-file=" + env, "smarthost.mailer.max-connections=0"))
        .isInstanceOf(RuntimeException.class);
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains("Property: smarthost.mailer.maxConnections")
        .contains("Value: \"0\"")
        .contains("must be at least 1");
  }

  @Test
  void anUnknownSslBundleIsNamedInTheReport(CapturedOutput output) throws Exception {
    Path env = dir.resolve("smarthost.env");
    Files.writeString(env, "SMTP_ENABLED=0\n");
    assertThatThrownBy(() -> start("smarthost.env-file=" + env, "smarthost.ssl.bundle=nope"))
        .isInstanceOf(RuntimeException.class);
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains("Invalid value 'nope' for configuration property 'smarthost.ssl.bundle'");
  }

  @Test
  void springBootBefore4IsRefusedNamingTheSupportedVersion() {
    assertThatThrownBy(() -> SmarthostAutoConfiguration.requireSupportedBoot("3.5.7"))
        .isInstanceOf(SmarthostStartupException.UnsupportedBoot.class)
        .hasMessageContaining("supports Spring Boot 4.0")
        .hasMessageContaining("runs Spring Boot 3.5.7");
    SmarthostAutoConfiguration.requireSupportedBoot("4.0.7");
    SmarthostAutoConfiguration.requireSupportedBoot(null);
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}
}
