package dev.smarthost.it;

import static dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.core.check.DiscoveryResult;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.outbox.FileOutbox;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.core.settings.MailInstanceDirectory;
import dev.smarthost.core.settings.MailInstanceSmarthostResolver;
import dev.smarthost.redis.RedisMailInstanceDirectory;
import dev.smarthost.redis.RedisOutbox;
import dev.smarthost.redis.RedisSmarthostResolver;
import dev.smarthost.testkit.Messages;
import dev.smarthost.testkit.SmarthostServer;
import dev.smarthost.testsupport.RedisServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The README's quick starts, verbatim between the markers, so that they keep compiling and working.
 */
class ReadmeExamplesTest {

  /**
   * Each region between "README: name" and "README: end" markers appears verbatim in README.md or
   * in one of docs/*.md.
   */
  @Test
  void readmeShowsTheseExamplesVerbatim() throws Exception {
    String source =
        java.nio.file.Files.readString(
                Path.of("src/test/java/dev/smarthost/it/ReadmeExamplesTest.java"))
            + java.nio.file.Files.readString(
                Path.of("src/test/java/dev/smarthost/it/ReadmeOAuth2ExamplesTest.java"))
            + java.nio.file.Files.readString(
                Path.of("src/test/java/dev/smarthost/it/ConsumerExtensionTest.java"));
    StringBuilder docs = new StringBuilder(java.nio.file.Files.readString(Path.of("../README.md")));
    try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(Path.of("../docs"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        docs.append('\n').append(java.nio.file.Files.readString(f));
      }
    }
    String readme = docs.toString();
    java.util.regex.Matcher regions =
        java.util.regex.Pattern.compile(
                "// README: (?!end)([a-z ]+)\\n(.*?)\\n\\s*// README: end",
                java.util.regex.Pattern.DOTALL)
            .matcher(source);
    int count = 0;
    while (regions.find()) {
      String region = regions.group(2);
      int indent = region.length() - region.stripLeading().length();
      String dedented =
          region
              .lines()
              .map(l -> l.length() >= indent ? l.substring(indent) : l.strip())
              .collect(java.util.stream.Collectors.joining("\n"));
      assertThat(readme).as("README.md or docs/ shows this example verbatim").contains(dedented);
      count++;
    }
    assertThat(count).isEqualTo(11);
  }

  @Test
  void coreQuickStart(@TempDir Path dir) throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", "s3cret")
            .start()) {
      server.writeEnvFile(dir.resolve("smarthost.env"));
      Path envFile = dir.resolve("smarthost.env");
      SmtpOptions options = server.smtpOptions(); // in production: SmtpOptions.defaults()

      // README: core
      SmarthostResolver settings = EnvFileSmarthostResolver.of(envFile);
      try (SmarthostMailer mailer = SmarthostMailer.builder(settings).options(options).build()) {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress("app@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
        message.setSubject("Disk almost full");
        message.setText("Only 2 % left on /var.");
        SendResult result = mailer.send(message); // throws SmarthostSendException, classified
      }
      // README: end

      assertThat(server).received(1).message(0).hasSubject("Disk almost full").wasEncrypted();
    }
  }

  @Test
  void sessionQuickStart(@TempDir Path dir) throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.TLS).start()) {
      server.writeEnvFile(dir.resolve("smarthost.env"));
      Path envFile = dir.resolve("smarthost.env");
      SmtpOptions options = server.smtpOptions();

      // README: session
      Optional<SmarthostSettings> settings = EnvFileSmarthostResolver.of(envFile).resolve();
      if (settings.isPresent()) { // empty: the administrator switched e-mail off
        Session session = new SmarthostSessionFactory(options).session(settings.get());
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("app@example.org"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
        message.setSubject("Disk almost full");
        message.setText("Only 2 % left on /var.");
        Transport.send(message);
      }
      // README: end

      assertThat(server).received(1).message(0).hasSubject("Disk almost full");
    }
  }

  @Test
  void redisQuickStart() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        RedisServer redis = RedisServer.start();
        Jedis jedis = redis.client()) {
      jedis.hset(
          "cluster/smarthost",
          Map.of(
              "enabled",
              "1",
              "host",
              "localhost",
              "port",
              Integer.toString(server.port()),
              "encrypt_smtp",
              "none"));
      String uri = redis.uri().toString();

      // README: redis
      RedisSmarthostResolver settings = RedisSmarthostResolver.create(URI.create(uri));
      SmarthostSessionFactory sessions = new SmarthostSessionFactory(SmtpOptions.defaults());
      AtomicReference<Session> session =
          new AtomicReference<>(sessions.session(settings.resolve().orElseThrow()));
      settings.subscribe(c -> c.current().ifPresent(s -> session.set(sessions.session(s))));
      // README: end

      try (settings) {
        Transport.send(Messages.simple(session.get(), "first"));
        jedis.hset("cluster/smarthost", "port", "1");
        jedis.publish("cluster/event/smarthost-changed", "{\"key\":\"cluster/smarthost\"}");
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (session.get().getProperty("mail.smtp.port").equals(Integer.toString(server.port()))
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(session.get().getProperty("mail.smtp.port")).isEqualTo("1");
      }
      assertThat(server).received(1).message(0).hasSubject("first");
    }
  }

  @Test
  void mailInstanceQuickStart() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Jedis jedis = redis.client()) {
      jedis.hset("module/mail1/srv/tcp/submission", Map.of("host", "10.5.4.1", "port", "10587"));
      String uri = redis.uri().toString();

      // README: mail instance
      MailInstanceDirectory mail = RedisMailInstanceDirectory.create(URI.create(uri));
      SmarthostResolver relay =
          MailInstanceSmarthostResolver.builder(mail).instance("mail1").build();
      // README: end

      assertThat(relay.resolve().orElseThrow().authority()).isEqualTo("10.5.4.1:25");
      ((RedisMailInstanceDirectory) mail).close();
    }
  }

  @Test
  void validatorQuickStart() {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.TLS).start()) {
      SmarthostSettings settings = server.settings();
      SmtpOptions options = server.smtpOptions();

      // README: validator
      ValidationResult result =
          SmtpConnectionValidator.create(options)
              .withDeadline(Duration.ofSeconds(30))
              .validate(settings, TestMessage.of("app@example.org", "admin@example.org"));
      if (!result.ok()) {
        System.out.println(result.failure().get().kind() + ": " + result.failure().get().hint());
      }
      // README: end

      assertThat(result.ok()).as("%s", result).isTrue();
    }
  }

  @Test
  void discoverQuickStart() {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth("app", "pw")
            .start()) {
      SmtpOptions options = server.smtpOptions();
      String password = "pw";
      int port = server.port();
      String host = "localhost"; // the README's "smtp.example.org"; 587… are closed here
      AtomicReference<SmarthostSettings> seen = new AtomicReference<>();

      // README: discover
      DiscoveryResult found =
          SmtpConnectionValidator.create(options)
              .discover(host, List.of(587, 465, 25, 2525), "app", password);
      found.recommended().ifPresent(s -> System.out.println(s.port() + " " + s.encryption()));
      // each port and encryption tried: 587/starttls ok (40 ms), 465/tls ok (35 ms), …
      found.candidates().forEach(System.out::println);
      // README: end

      // the same call against the local server, whose port is not one of the usual ones
      DiscoveryResult local =
          SmtpConnectionValidator.create(options)
              .discover("localhost", List.of(port), "app", password);
      local.recommended().ifPresent(seen::set);
      assertThat(seen.get()).isNotNull();
      assertThat(seen.get().encryption()).isEqualTo(Encryption.STARTTLS);
      assertThat(found.candidates()).isNotEmpty();
    }
  }

  @Test
  void outboxQuickStart(@TempDir Path spool) throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      SmarthostResolver resolver = () -> Optional.of(server.settings());
      MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
      message.setFrom(new InternetAddress("app@example.org"));
      message.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
      message.setSubject("Disk almost full");
      message.setText("Only 2 % left on /var.");
      Path dir = spool.resolve("smarthost");

      // README: outbox
      try (FileOutbox outbox = FileOutbox.open(dir); // created 0700; one process at a time
          SmarthostMailer mailer = SmarthostMailer.builder(resolver).outbox(outbox).build()) {
        String id = mailer.enqueue(message); // durable when it returns; delivered in the background
        System.out.println(id + " pending: " + outbox.pending() + ", dead: " + outbox.dead());
      }
      // README: end

      assertThat(server.awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
    }
  }

  @Test
  void redisOutboxQuickStart() throws Exception {
    try (RedisServer redis = RedisServer.start();
        SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      SmarthostResolver resolver = () -> Optional.of(server.settings());
      URI uri = redis.uri();
      MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
      message.setFrom(new InternetAddress("app@example.org"));
      message.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
      message.setSubject("Disk almost full");
      message.setText("Only 2 % left on /var.");

      // README: redis outbox
      try (RedisOutbox outbox =
              RedisOutbox.builder(uri) // redis:// or rediss://
                  .stream("smarthost/outbox") // one consumer group per stream
                  .claimAfter(Duration.ofSeconds(60)) // a dead node's entries move after this
                  .build();
          SmarthostMailer mailer = SmarthostMailer.builder(resolver).outbox(outbox).build()) {
        mailer.enqueue(message); // returns once Redis acknowledged the XADD
      }
      // README: end

      assertThat(server.awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
    }
  }
}
