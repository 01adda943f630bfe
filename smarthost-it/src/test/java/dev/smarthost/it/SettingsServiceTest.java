package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SettingsField;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.core.settings.EnvFileSmarthostStore;
import dev.smarthost.core.settings.SmarthostSettingsService;
import dev.smarthost.testkit.SmarthostServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SettingsServiceTest {
  @TempDir Path dir;

  @Test
  void validThenSavedAndARunningMailerFollows() {
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer old = SmarthostServer.builder().encryption(Encryption.NONE).start();
        SmarthostServer server =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireAuth("app", "Pässwörd")
                .start()) {
      old.writeEnvFile(env);
      SmarthostSettingsService service =
          new SmarthostSettingsService(
              SmtpConnectionValidator.create(server.smtpOptions()), EnvFileSmarthostStore.of(env));
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(EnvFileSmarthostResolver.of(env))
              .options(server.smtpOptions())
              .build()) {
        mailer.send(MailerTest.message("before"));

        SmarthostSettingsService.Outcome wrong =
            service.apply(server.settings().toBuilder().credentials("app", "wrong").build());
        assertThat(wrong.saved()).isFalse();
        assertThat(wrong.field()).contains(SettingsField.USERNAME); // the credentials group
        assertThat(wrong.testMessageRefused()).isFalse();
        assertThat(wrong.validation().failure().orElseThrow().kind())
            .isEqualTo(FailureKind.AUTHENTICATION_FAILED);
        assertThat(EnvFileSmarthostResolver.of(env).resolve().orElseThrow().port())
            .isEqualTo(old.port());

        SmarthostSettingsService.Outcome good = service.apply(server.settings());
        assertThat(good.saved()).isTrue();
        assertThat(good.field()).isEmpty();
        assertThat(EnvFileSmarthostResolver.of(env).resolve()).contains(server.settings());

        mailer.send(MailerTest.message("after"));
      }
      assertThat(old.awaitMessages(1, Duration.ofSeconds(5)).get(0).subject()).contains("before");
      assertThat(server.awaitMessages(1, Duration.ofSeconds(5)).get(0).subject()).contains("after");
    }
  }

  @Test
  void encryptionMistakesPointAtTheEncryptionFieldAndForceStoresAnyway() {
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.TLS).start()) {
      SmarthostSettingsService service =
          new SmarthostSettingsService(
              SmtpConnectionValidator.create(
                  server.smtpOptions().toBuilder().readTimeout(Duration.ofSeconds(1)).build()),
              EnvFileSmarthostStore.of(env));
      SmarthostSettings plain = server.settings().toBuilder().encryption(Encryption.NONE).build();
      SmarthostSettingsService.Outcome outcome = service.apply(plain);
      assertThat(outcome.saved()).isFalse();
      assertThat(outcome.field()).contains(SettingsField.ENCRYPTION);
      assertThat(outcome.validation().failure().orElseThrow().hint())
          .contains("expects implicit TLS");
      assertThat(env).doesNotExist();

      assertThat(service.apply(plain, true).saved()).isTrue();
      assertThat(EnvFileSmarthostResolver.of(env).resolve()).contains(plain);
    }
  }
}
