package dev.smarthost.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Fault.Step;
import dev.smarthost.testkit.Messages;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Transport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every flow with a marker password, SMTP debug on and every smarthost logger at DEBUG: the marker
 * and its AUTH PLAIN / LOGIN base64 forms appear in no log line, exception message, toString or
 * result. (The CLI's text and JSON output and the settings API are checked the same way by CliTest
 * and SettingsServerTest on every call.)
 */
@Timeout(120)
class SecretLeakTest {
  static final String MARKER = "Leak-Marker-Pässwörd-4711";

  @TempDir Path dir;

  static List<String> forms(String password) {
    return List.of(
        password,
        Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)),
        Base64.getEncoder().encodeToString(("\0app\0" + password).getBytes(StandardCharsets.UTF_8)),
        Base64.getEncoder()
            .encodeToString(("app\0app\0" + password).getBytes(StandardCharsets.UTF_8)));
  }

  static void describe(List<String> out, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.add(String.valueOf(c));
      if (c instanceof jakarta.mail.MessagingException
          && ((jakarta.mail.MessagingException) c).getNextException() != null) {
        out.add(String.valueOf(((jakarta.mail.MessagingException) c).getNextException()));
      }
    }
  }

  @Test
  void theMarkerAppearsNowhere() throws Exception {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    List<String> texts = new ArrayList<>();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", MARKER)
            .start()) {
      SmtpOptions debug =
          server.smtpOptions().toBuilder().debug(true).readTimeout(Duration.ofSeconds(1)).build();
      SmarthostSettings good = server.settings();
      SmarthostSettings wrong = good.toBuilder().credentials("app", MARKER + "-wrong").build();
      texts.add(good.toString());
      texts.add(wrong.toString());
      SmtpConnectionValidator validator =
          SmtpConnectionValidator.create(debug).withDeadline(Duration.ofSeconds(5));
      TestMessage test = TestMessage.of("app@example.org", "admin@example.org");

      // the validator: ok, bad password, and each failure a server can cause with credentials in
      // play
      List<ValidationResult> results = new ArrayList<>();
      results.add(validator.validate(good, test));
      results.add(validator.validate(wrong));
      for (Fault f :
          List.of(
              Fault.NO_AUTH_OFFERED,
              Fault.NO_STARTTLS_OFFERED,
              Fault.stall(Step.AUTH),
              Fault.reject(Step.RCPT, 554, "5.7.1 Relay access denied"),
              Fault.DROP_AFTER_EHLO,
              Fault.TLS_CERT_WRONG_NAME)) {
        server.clearFaults();
        server.fault(f);
        results.add(validator.validate(good, test));
      }
      server.clearFaults();
      for (ValidationResult r : results) {
        texts.add(r.toString());
        r.failure()
            .ifPresent(
                f -> {
                  texts.add(f.toString());
                  texts.add(f.detail());
                  texts.add(f.hint());
                  f.reply().ifPresent(texts::add);
                });
      }

      // the mailer: success, a permanent failure, a refused login
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(good)).options(debug).maxAttempts(1).build()) {
        SendResult sent = mailer.send(MailerTest.message("ok"));
        texts.add(sent.toString());
        server.fault(Fault.reject(Step.RCPT, 554, "5.7.1 Relay access denied"));
        try {
          mailer.send(MailerTest.message("refused"));
        } catch (SmarthostSendException e) {
          describe(texts, e);
        }
        server.clearFaults();
      }
      try (SmarthostMailer mailer =
          SmarthostMailer.builder(() -> Optional.of(wrong)).options(debug).maxAttempts(1).build()) {
        mailer.send(MailerTest.message("wrong password"));
      } catch (SmarthostSendException e) {
        describe(texts, e);
      }

      // the Session, directly
      try {
        Transport.send(
            Messages.simple(new SmarthostSessionFactory(debug).session(wrong), "direct"));
      } catch (jakarta.mail.MessagingException e) {
        describe(texts, e);
      }

      // a broken env file that holds the password, and the change its subscribers get
      Path env = dir.resolve("smarthost.env");
      server.writeEnvFile(env);
      EnvFileSmarthostResolver resolver = EnvFileSmarthostResolver.of(env);
      List<SmarthostChange> changes = new ArrayList<>();
      resolver.resolve();
      Files.writeString(
          env, Files.readString(env).replace("SMTP_PORT=", "SMTP_PORT=x") + MARKER + "\n");
      resolver.subscribe(changes::add).close();
      try {
        EnvFileSmarthostResolver.of(env).resolve();
      } catch (SmarthostConfigurationException e) {
        describe(texts, e);
      }
      texts.add(String.valueOf(resolver.resolve()));
    } finally {
      System.setErr(originalErr);
    }
    String log = logs.toString(StandardCharsets.UTF_8);
    assertThat(log).as("debug logging ran").contains("dev.smarthost.smtp").contains("AUTH");
    String all = log + String.join("\n", texts);
    for (String form : forms(MARKER)) {
      assertThat(all).doesNotContain(form);
    }
    for (String form : forms(MARKER + "-wrong")) {
      assertThat(all).doesNotContain(form);
    }
    assertThat(texts).hasSizeGreaterThan(20);
  }
}
