package dev.smarthost.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.SmarthostServer;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mail.MailSendException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;

@Timeout(60)
class SmarthostAutoConfigurationTest {
  @TempDir Path dir;

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SmarthostAutoConfiguration.class));

  /** With Spring Boot's own metrics auto-configurations, as in an application with actuator. */
  private final ApplicationContextRunner withBootMetrics = BootMetrics.runner();

  private ApplicationContextRunner on(SmarthostServer server, Path env) {
    server.writeEnvFile(env);
    return runner
        .withPropertyValues("smarthost.env-file=" + env)
        .withBean(SmtpOptions.class, server::smtpOptions);
  }

  private static MimeMessage message(JavaMailSender sender, String subject) throws Exception {
    MimeMessage m = sender.createMimeMessage();
    MimeMessageHelper h = new MimeMessageHelper(m, "UTF-8");
    h.setFrom("app@example.org");
    h.setTo("admin@example.org");
    h.setSubject(subject);
    h.setText("body");
    return m;
  }

  @Test
  void backsOffWithoutASource() {
    runner.run(
        context -> {
          assertThat(context).doesNotHaveBean(SmarthostMailer.class);
          assertThat(context).doesNotHaveBean(JavaMailSender.class);
        });
  }

  @Test
  void envFileGivesResolverMailerSenderAndHealth() {
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer server =
        SmarthostServer.builder().requireAuth("app", "s3cret-Pässwörd").start()) {
      on(server, env)
          .run(
              context -> {
                assertThat(context).hasSingleBean(SmarthostMailer.class);
                assertThat(context.getBean(SmarthostResolver.class))
                    .isInstanceOf(EnvFileSmarthostResolver.class);
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                assertThat(sender).isInstanceOf(SmarthostJavaMailSender.class);
                sender.send(message(sender, "from spring"));
                SimpleMailMessage simple = new SimpleMailMessage();
                simple.setFrom("app@example.org");
                simple.setTo("admin@example.org");
                simple.setSubject("simple");
                simple.setText("text");
                sender.send(simple);
                assertThat(server.awaitMessages(2, Duration.ofSeconds(5)))
                    .extracting(m -> m.subject().orElseThrow())
                    .containsExactly("from spring", "simple");
                Health health = context.getBean(SmarthostHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails())
                    .containsEntry("server", "localhost:" + server.port())
                    .containsKey("tls")
                    .doesNotContainValue("s3cret-Pässwörd");
              });
    }
  }

  /**
   * Spring developer review, item 7: an application with its own mail sender uses another server; a
   * mailer, a health check and meters for the smarthost would watch a server nobody uses.
   */
  @Test
  void anApplicationsOwnMailSenderTurnsTheWholeStarterOff() {
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer server = SmarthostServer.builder().start()) {
      on(server, env)
          .withBean(JavaMailSender.class, JavaMailSenderImpl::new)
          .run(
              context -> {
                assertThat(context.getBean(JavaMailSender.class))
                    .isInstanceOf(JavaMailSenderImpl.class);
                assertThat(context)
                    .doesNotHaveBean(SmarthostMailer.class)
                    .doesNotHaveBean(SmarthostHealthIndicator.class)
                    .doesNotHaveBean(MicrometerMailerListener.class)
                    .doesNotHaveBean(SmarthostResolver.class);
              });
    }
  }

  @Test
  void anApplicationsOwnOptionsWin() {
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer server = SmarthostServer.builder().start()) {
      SmtpOptions own = SmtpOptions.builder().ehloName("own.example").build();
      server.writeEnvFile(env);
      runner
          .withPropertyValues("smarthost.env-file=" + env)
          .withBean(SmtpOptions.class, () -> own)
          .run(
              context -> {
                assertThat(context.getBean(SmtpOptions.class)).isSameAs(own);
                assertThat(context).hasSingleBean(SmarthostMailer.class);
              });
    }
  }

  @Test
  void aChangedEnvFileReachesTheNextSend() {
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer first = SmarthostServer.builder().encryption(Encryption.TLS).start();
        SmarthostServer second = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      on(first, env)
          .run(
              context -> {
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                sender.send(message(sender, "to first"));
                second.writeEnvFile(env);
                sender.send(message(sender, "to second"));
              });
      assertThat(first.awaitMessages(1, Duration.ofSeconds(5)).get(0).subject())
          .contains("to first");
      assertThat(second.awaitMessages(1, Duration.ofSeconds(5)).get(0).subject())
          .contains("to second");
    }
  }

  @Test
  void failuresArriveClassifiedAndHealthSaysWhatToDo() {
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer server =
        SmarthostServer.builder().requireAuth("app", "s3cret-Pässwörd").start()) {
      on(server, env)
          .withPropertyValues("smarthost.health.cache-for=0s")
          .run(
              context -> {
                server.fault(Fault.reject(Fault.Step.RCPT, 554, "5.7.1 Relay access denied"));
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                assertThatThrownBy(() -> sender.send(message(sender, "x")))
                    .isInstanceOf(MailSendException.class)
                    .hasCauseInstanceOf(SmarthostSendException.class)
                    .satisfies(
                        e ->
                            assertThat(((SmarthostSendException) e.getCause()).kind())
                                .isEqualTo(FailureKind.RECIPIENT_REJECTED));
                server.clearFaults();
                server.fault(Fault.NO_AUTH_OFFERED);
                Health down = context.getBean(SmarthostHealthIndicator.class).health();
                assertThat(down.getStatus()).isEqualTo(Status.DOWN);
                assertThat(down.getDetails())
                    .containsEntry("kind", "AUTH_NOT_OFFERED")
                    .containsKey("hint");
                assertThat(down.toString()).doesNotContain("s3cret-Pässwörd");
              });
    }
  }

  @Test
  void healthNeverWaitsLongerThanItsDeadline() {
    Path env = dir.resolve("smarthost.env");
    try (SmarthostServer tarpit = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      tarpit.fault(Fault.slowGreeting(Duration.ofSeconds(30)));
      on(tarpit, env)
          .withPropertyValues("smarthost.health.deadline=300ms")
          .run(
              context -> {
                long start = System.nanoTime();
                Health health = context.getBean(SmarthostHealthIndicator.class).health();
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(5));
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("kind", "NO_GREETING");
                // cached: the second call does not check again
                long again = System.nanoTime();
                assertThat(context.getBean(SmarthostHealthIndicator.class).health())
                    .isSameAs(health);
                assertThat(Duration.ofNanos(System.nanoTime() - again))
                    .isLessThan(Duration.ofMillis(100));
              });
    }
  }

  @Test
  void environmentKeysAndMetrics() {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      withBootMetrics
          .withPropertyValues(
              "SMTP_ENABLED=1",
              "SMTP_HOST=localhost",
              "SMTP_PORT=" + server.port(),
              "SMTP_ENCRYPTION=none")
          .run(
              context -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                // registered before the first send, with 0
                assertThat(registry.get("smarthost.mail.sent").counter().count()).isZero();
                assertThat(registry.get("smarthost.connections.open").gauge().value()).isZero();
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                sender.send(message(sender, "counted"));
                assertThat(registry.get("smarthost.mail.sent").counter().count()).isEqualTo(1.0);
                assertThat(registry.get("smarthost.connections.opened").counter().count())
                    .isEqualTo(1.0);
                assertThat(
                        registry
                            .get("smarthost.mail.send")
                            .tag("outcome", "success")
                            .timer()
                            .count())
                    .isEqualTo(1);
                assertThat(registry.get("smarthost.connections.open").gauge().value())
                    .isEqualTo(1.0);
              });
      assertThat(server.awaitMessages(1, Duration.ofSeconds(5))).hasSize(1);
    }
  }

  @Test
  void theOAuth2KeysOfTheEnvironmentLogInWithXoauth2() throws Exception {
    String accessToken = "eyJ.spring-access-token.sig";
    java.util.List<String> forms = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer tokens =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    tokens.createContext(
        "/token",
        exchange -> {
          forms.add(new String(exchange.getRequestBody().readAllBytes(), "UTF-8"));
          byte[] body =
              ("{\"access_token\":\""
                      + accessToken
                      + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    tokens.start();
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.NONE)
            .requireOAuth2("box@contoso.com", accessToken::equals)
            .start()) {
      runner
          .withPropertyValues(
              "SMTP_ENABLED=1",
              "SMTP_HOST=localhost",
              "SMTP_PORT=" + server.port(),
              "SMTP_ENCRYPTION=none",
              "SMTP_USERNAME=box@contoso.com",
              "SMTP_PASSWORD=",
              "SMTP_OAUTH2_TOKEN_URL=http://127.0.0.1:" + tokens.getAddress().getPort() + "/token",
              "SMTP_OAUTH2_CLIENT_ID=spring-app",
              "SMTP_OAUTH2_CLIENT_SECRET=spring-Secret~Marker.7171",
              "SMTP_OAUTH2_SCOPE=")
          .run(
              context -> {
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                sender.send(message(sender, "via XOAUTH2 from Spring"));
                assertThat(server.awaitMessages(1, Duration.ofSeconds(10)).get(0).subject())
                    .hasValue("via XOAUTH2 from Spring");
              });
    } finally {
      tokens.stop(0);
    }
    assertThat(forms).hasSize(1);
    assertThat(forms.get(0)).contains("client_id=spring-app");
  }

  @Test
  void anOutboxDirectoryMakesSendDurableAndShowsInHealthAndMetrics() throws Exception {
    Path spool = dir.resolve("spool");
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      server.fault(Fault.rejectRecipient("gone@example.org", 550, "5.1.1 No such user"));
      withBootMetrics
          .withPropertyValues(
              "SMTP_ENABLED=1",
              "SMTP_HOST=localhost",
              "SMTP_PORT=" + server.port(),
              "SMTP_ENCRYPTION=none",
              "smarthost.outbox.directory=" + spool,
              "smarthost.outbox.max-pending-age=1h")
          .run(
              context -> {
                assertThat(context).hasSingleBean(dev.smarthost.core.outbox.FileOutbox.class);
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                sender.send(message(sender, "through the outbox"));
                MimeMessage refused = message(sender, "refused");
                refused.setRecipients(jakarta.mail.Message.RecipientType.TO, "gone@example.org");
                sender.send(refused); // accepted: the refusal ends in the outbox's dead entries
                assertThat(server.awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
                dev.smarthost.core.outbox.Outbox outbox =
                    context.getBean(dev.smarthost.core.outbox.Outbox.class);
                long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while ((outbox.pendingCount() > 0 || outbox.dead().isEmpty())
                    && System.nanoTime() < end) {
                  Thread.sleep(20);
                }
                Health health = context.getBean(SmarthostHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails())
                    .containsEntry("outbox.pending", 0)
                    .containsEntry("outbox.dead", 1);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(registry.get("smarthost.outbox.pending").gauge().value()).isZero();
                assertThat(registry.get("smarthost.outbox.dead").gauge().value()).isEqualTo(1.0);
                assertThat(
                        registry
                            .get("smarthost.mail.dead")
                            .tag("kind", "RECIPIENT_REJECTED")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
              });
      // the context closed the mailer and then the outbox: the directory can be opened again
      try (dev.smarthost.core.outbox.FileOutbox again =
          dev.smarthost.core.outbox.FileOutbox.open(spool)) {
        assertThat(again.dead()).hasSize(1);
      }
    }
  }

  @Test
  void healthIsDownWhenTheOldestPendingMessageWaitsTooLong() throws Exception {
    Path spool = dir.resolve("stuck");
    runner
        .withPropertyValues(
            "SMTP_ENABLED=", // e-mail switched off: nothing is delivered, the entry waits
            "SMTP_HOST=localhost",
            "smarthost.outbox.directory=" + spool,
            "smarthost.outbox.max-pending-age=100ms")
        .run(
            context -> {
              JavaMailSender sender = context.getBean(JavaMailSender.class);
              sender.send(message(sender, "waits"));
              Thread.sleep(300);
              Health health = context.getBean(SmarthostHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.DOWN);
              assertThat(health.getDetails())
                  .containsEntry("outbox.pending", 1)
                  .containsKey("outbox.hint");
            });
  }

  @Test
  void healthCanBeSwitchedOffLikeSpringBootsOwnIndicators() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      Path env = dir.resolve("off.env");
      for (String off :
          new String[] {
            "management.health.smarthost.enabled=false", "management.health.defaults.enabled=false"
          }) {
        on(server, env)
            .withPropertyValues(off)
            .run(
                context -> {
                  assertThat(context).hasSingleBean(SmarthostMailer.class);
                  assertThat(context).doesNotHaveBean(SmarthostHealthIndicator.class);
                });
      }
      on(server, env)
          .withPropertyValues(
              "management.health.defaults.enabled=false",
              "management.health.smarthost.enabled=true")
          .run(context -> assertThat(context).hasSingleBean(SmarthostHealthIndicator.class));
    }
  }

  @Test
  void aSettingsChangeDropsTheCachedHealthVerdictAtOnce() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      Path env = dir.resolve("live.env");
      on(server, env)
          .withPropertyValues("smarthost.health.cache-for=10m")
          .run(
              context -> {
                SmarthostHealthIndicator health = context.getBean(SmarthostHealthIndicator.class);
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                int dead;
                try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                  dead = s.getLocalPort();
                }
                String moved =
                    java.nio.file.Files.readString(env)
                        .replace("SMTP_PORT=" + server.port(), "SMTP_PORT=" + dead);
                Path tmp = dir.resolve("live.env.tmp");
                java.nio.file.Files.writeString(tmp, moved);
                java.nio.file.Files.move(tmp, env, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                Status status = Status.UP;
                while (System.nanoTime() < end && status.equals(Status.UP)) {
                  Thread.sleep(50);
                  status = health.health().getStatus();
                }
                assertThat(status).as("DOWN within 2 s of the change").isEqualTo(Status.DOWN);
              });
    }
  }

  @Test
  void anyMailSenderOfTheApplicationWins() {
    try (SmarthostServer server = SmarthostServer.builder().start()) {
      on(server, dir.resolve("ms.env"))
          .withBean(
              org.springframework.mail.MailSender.class,
              () ->
                  new org.springframework.mail.MailSender() {
                    @Override
                    public void send(SimpleMailMessage... messages) {}
                  })
          .run(context -> assertThat(context).doesNotHaveBean(SmarthostJavaMailSender.class));
    }
  }

  @Test
  @org.junit.jupiter.api.extension.ExtendWith(
      org.springframework.boot.test.system.OutputCaptureExtension.class)
  void springMailNextToTheStarterIsNamedInOneWarning(
      org.springframework.boot.test.system.CapturedOutput output) {
    try (SmarthostServer server = SmarthostServer.builder().start()) {
      Path env = dir.resolve("mail.env");
      on(server, env)
          .withPropertyValues("spring.mail.host=smtp.elsewhere.example")
          .run(context -> assertThat(context).hasSingleBean(SmarthostJavaMailSender.class));
      assertThat(output.getAll())
          .contains("spring.mail.host is set, but mail goes through the smarthost from")
          .contains("smarthost.env-file " + env)
          .doesNotContain("smtp.elsewhere.example");
    }
  }

  @Test
  void aPrivateCaThroughASpringSslBundleAndTheTimeoutsThroughProperties() throws Exception {
    Path env = dir.resolve("ssl.env");
    Path trust = dir.resolve("smarthost-ca.p12");
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", "pw")
            .start()) {
      try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(trust)) {
        server.trustStore().store(out, "changeit".toCharArray());
      }
      server.writeEnvFile(env);
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration.class,
                  SmarthostAutoConfiguration.class))
          .withPropertyValues(
              "smarthost.env-file=" + env,
              "smarthost.ssl.bundle=smarthost",
              "spring.ssl.bundle.jks.smarthost.truststore.location=file:" + trust,
              "spring.ssl.bundle.jks.smarthost.truststore.password=changeit",
              "spring.ssl.bundle.jks.smarthost.truststore.type=PKCS12",
              "smarthost.connect-timeout=3s",
              "smarthost.read-timeout=4s",
              "smarthost.write-timeout=5s",
              "smarthost.ehlo-name=app.example.org",
              "smarthost.pipelining=false")
          .run(
              context -> {
                SmtpOptions options = context.getBean(SmtpOptions.class);
                assertThat(options.pipelining()).isFalse();
                assertThat(options.chunking()).isTrue();
                assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(options.readTimeout()).isEqualTo(Duration.ofSeconds(4));
                assertThat(options.writeTimeout()).isEqualTo(Duration.ofSeconds(5));
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                sender.send(message(sender, "verified through the bundle"));
              });
      var got = server.awaitMessages(1, Duration.ofSeconds(5)).get(0);
      assertThat(got.encrypted()).isTrue();
      assertThat(got.heloName()).isEqualTo("app.example.org");
      assertThat(got.pipelined()).isFalse();
      assertThat(got.chunked()).isTrue();
      // without the bundle the private CA is not trusted: the send fails, classified
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(SmarthostAutoConfiguration.class))
          .withPropertyValues("smarthost.env-file=" + env)
          .run(
              context -> {
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                assertThatThrownBy(() -> sender.send(message(sender, "untrusted")))
                    .isInstanceOf(MailSendException.class)
                    .hasRootCauseInstanceOf(Exception.class)
                    .satisfies(
                        e ->
                            assertThat(((SmarthostSendException) e.getCause()).kind())
                                .isEqualTo(FailureKind.CERTIFICATE_UNTRUSTED));
              });
    }
  }

  @Test
  void failuresAreCountedAndTimed() {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      server.fault(Fault.reject(Fault.Step.MAIL, 553, "5.7.1 Sender address rejected"));
      withBootMetrics
          .withPropertyValues(
              "SMTP_ENABLED=1",
              "SMTP_HOST=localhost",
              "SMTP_PORT=" + server.port(),
              "SMTP_ENCRYPTION=none")
          .run(
              context -> {
                JavaMailSender sender = context.getBean(JavaMailSender.class);
                assertThatThrownBy(() -> sender.send(message(sender, "refused")))
                    .isInstanceOf(MailSendException.class);
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                assertThat(
                        registry
                            .get("smarthost.mail.failed")
                            .tag("kind", "SENDER_REJECTED")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
                assertThat(
                        registry
                            .get("smarthost.mail.send")
                            .tag("outcome", "failure")
                            .timer()
                            .count())
                    .isEqualTo(1);
                assertThat(
                        registry
                            .get("smarthost.mail.send")
                            .tag("outcome", "success")
                            .timer()
                            .count())
                    .isZero();
              });
    }
  }
}
