package dev.smarthost.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.core.send.MailerListener;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.SmarthostServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

/**
 * Spring developer review, items 5 to 8: what Spring's own mail support does, the starter does —
 * its exceptions, meters that exist from the start with descriptions, listeners that compose, a
 * health verdict that tells its age, hints in Spring's terms.
 */
@Timeout(60)
class SpringMailParityTest {
  private final ApplicationContextRunner withBootMetrics = BootMetrics.runner();

  private static ApplicationContextRunner plainOn(
      ApplicationContextRunner runner, SmarthostServer server, String... more) {
    return runner
        .withPropertyValues(
            "SMTP_ENABLED=1",
            "SMTP_HOST=localhost",
            "SMTP_PORT=" + server.port(),
            "SMTP_ENCRYPTION=none")
        .withPropertyValues(more);
  }

  private static SimpleMailMessage simple(String to, String subject) {
    SimpleMailMessage m = new SimpleMailMessage();
    m.setFrom("app@example.org");
    m.setTo(to);
    m.setSubject(subject);
    m.setText("text");
    return m;
  }

  @Test
  void aWrongPasswordIsAMailAuthenticationException() {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.NONE)
            .requireAuth("app", "right-password")
            .start()) {
      plainOn(withBootMetrics, server, "SMTP_USERNAME=app", "SMTP_PASSWORD=wrong-password")
          .run(
              context -> {
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                MailAuthenticationException e =
                    catchThrowableOfType(
                        MailAuthenticationException.class,
                        () -> sender.send(simple("admin@example.org", "x")));
                assertThat(e.getCause())
                    .isInstanceOfSatisfying(
                        SmarthostSendException.class,
                        s -> assertThat(s.kind()).isEqualTo(FailureKind.AUTHENTICATION_FAILED));
                assertThat(e).hasMessageNotContaining("wrong-password");
              });
    }
  }

  @Test
  void failedMessagesAreKeyedByTheCallersOwnObjectsForOneMessageAndForMany() {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      server.fault(Fault.rejectRecipient("nobody@example.org", 550, "5.1.1 No such user"));
      plainOn(withBootMetrics, server)
          .run(
              context -> {
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                SimpleMailMessage bad = simple("nobody@example.org", "bad");
                MailSendException one =
                    catchThrowableOfType(MailSendException.class, () -> sender.send(bad));
                assertThat(one.getFailedMessages()).containsOnlyKeys(bad);
                assertThat(one.getCause())
                    .isSameAs(one.getFailedMessages().get(bad))
                    .isInstanceOfSatisfying(
                        SmarthostSendException.class,
                        s -> assertThat(s.kind()).isEqualTo(FailureKind.RECIPIENT_REJECTED));
                assertThat(one.getMessage()).contains("RECIPIENT_REJECTED");

                SimpleMailMessage good = simple("admin@example.org", "good");
                SimpleMailMessage alsoBad = simple("nobody@example.org", "also bad");
                MailSendException many =
                    catchThrowableOfType(
                        MailSendException.class, () -> sender.send(good, alsoBad, bad));
                assertThat(many.getFailedMessages()).containsOnlyKeys(alsoBad, bad);
                assertThat(many.getMessage()).startsWith("2 of 3 failed");
                assertThat(server.awaitMessages(1, Duration.ofSeconds(5)))
                    .extracting(m -> m.subject().orElseThrow())
                    .containsExactly("good");
              });
    }
  }

  @Test
  void everyMeterExistsFromTheStartWithADescription() {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      plainOn(withBootMetrics, server)
          .run(
              context -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                for (String name :
                    List.of(
                        "smarthost.mail.failed", "smarthost.mail.retried", "smarthost.mail.dead")) {
                  assertThat(registry.find(name).counters())
                      .as(name)
                      .hasSize(FailureKind.values().length)
                      .allSatisfy(c -> assertThat(c.count()).isZero());
                  assertThat(registry.get(name).tag("kind", "CONNECTION_REFUSED").counter())
                      .isNotNull();
                }
                for (Meter meter : registry.getMeters()) {
                  if (meter.getId().getName().startsWith("smarthost.")) {
                    assertThat(meter.getId().getDescription())
                        .as(meter.getId().getName())
                        .isNotBlank();
                    if (meter instanceof Counter) {
                      assertThat(meter.getId().getBaseUnit())
                          .as(meter.getId().getName())
                          .isNotBlank();
                    }
                  }
                }
              });
    }
  }

  @Test
  void theApplicationsOwnListenerAndTheMetersBothHearEveryEvent() {
    List<String> heard = new CopyOnWriteArrayList<>();
    MailerListener own =
        new MailerListener() {
          @Override
          public void sent(SendResult result) {
            heard.add("sent");
          }
        };
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      plainOn(withBootMetrics, server)
          .withBean("ownListener", MailerListener.class, () -> own)
          .run(
              context -> {
                context.getBean(JavaMailSender.class).send(simple("admin@example.org", "both"));
                assertThat(heard).containsExactly("sent");
                assertThat(
                        context
                            .getBean(MeterRegistry.class)
                            .get("smarthost.mail.sent")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
              });
    }
  }

  @Test
  void healthSaysWhenItCheckedAndHintsInSpringsTerms() {
    try (SmarthostServer server = SmarthostServer.builder().start()) { // its own CA: untrusted
      Instant before = Instant.now();
      withBootMetrics
          .withPropertyValues(
              "SMTP_ENABLED=1",
              "SMTP_HOST=localhost",
              "SMTP_PORT=" + server.port(),
              "SMTP_ENCRYPTION=starttls")
          .run(
              context -> {
                Health health = context.getBean(SmarthostHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails())
                    .containsEntry("kind", "CERTIFICATE_UNTRUSTED")
                    .hasEntrySatisfying(
                        "hint", h -> assertThat((String) h).contains("smarthost.ssl.bundle"));
                Instant checkedAt = Instant.parse((String) health.getDetails().get("checkedAt"));
                assertThat(checkedAt).isBetween(before, Instant.now());
                // reused within smarthost.health.cache-for: the same verdict, the same time
                assertThat(context.getBean(SmarthostHealthIndicator.class).health().getDetails())
                    .containsEntry("checkedAt", checkedAt.toString());
              });
    }
  }

  @Test
  void theIdeMetadataDescribesEveryPropertyAndEveryEnvironmentKey() throws Exception {
    String text;
    try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    java.util.Map<String, String> described = new java.util.HashMap<>();
    for (Object property :
        (net.minidev.json.JSONArray)
            ((net.minidev.json.JSONObject) net.minidev.json.JSONValue.parse(text))
                .get("properties")) {
      net.minidev.json.JSONObject p = (net.minidev.json.JSONObject) property;
      described.put((String) p.get("name"), String.valueOf(p.getOrDefault("description", "")));
    }
    for (dev.smarthost.SettingsField field : dev.smarthost.SettingsField.values()) {
      org.assertj.core.api.Assertions.assertThat(described)
          .containsKey(dev.smarthost.SettingsCodec.ENV_FILE.key(field));
    }
    org.assertj.core.api.Assertions.assertThat(described)
        .containsKeys(
            "management.health.smarthost.enabled",
            "smarthost.validate-on-startup",
            "smarthost.health.cache-for")
        .allSatisfy((name, description) -> assertThat(description).as(name).isNotBlank());
  }
}
