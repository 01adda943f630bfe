package com.example.legacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class RefusedOnBoot35Test {

  @Test
  void theStarterStopsTheApplicationNamingTheSupportedVersion(CapturedOutput output) {
    assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
    assertThatThrownBy(
            () ->
                new SpringApplicationBuilder(App.class)
                    .web(WebApplicationType.NONE)
                    .properties("SMTP_ENABLED=1", "SMTP_HOST=localhost", "SMTP_PORT=2525")
                    .run())
        .isInstanceOf(RuntimeException.class);
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains(
            "smarthost-spring-boot-starter supports Spring Boot 4.0 (4.0.x); this application runs"
                + " Spring Boot " + SpringBootVersion.getVersion());
  }

  @SpringBootApplication
  static class App {}
}
