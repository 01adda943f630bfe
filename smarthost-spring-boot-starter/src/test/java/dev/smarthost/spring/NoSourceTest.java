package dev.smarthost.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.mail.javamail.JavaMailSender;

/** An application that needs a JavaMailSender but configures no smarthost source. */
@ExtendWith(OutputCaptureExtension.class)
class NoSourceTest {

  @Test
  void startupFailsSayingWhichPropertyToSet(CapturedOutput output) {
    SpringApplication app = new SpringApplication(App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    assertThatThrownBy(app::run).isInstanceOf(RuntimeException.class);
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START")
        .contains("no smarthost source is configured")
        .contains("Set one of: smarthost.env-file");
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    String needsMail(JavaMailSender mail) {
      return "never";
    }
  }
}
