package dev.smarthost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smarthost.Encryption;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.SmarthostServer;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class CliTest {
  private static final String PASSWORD = "s3cret-Pässwörd";

  @TempDir Path dir;

  /** Runs the command; nothing it prints may contain the test's secrets. */
  private static CliRun run(String... args) {
    CliRun r = CliRun.of(args);
    assertThat(r.out + r.err).doesNotContain(PASSWORD);
    return r;
  }

  private Path trustStore(SmarthostServer server) throws Exception {
    Path file = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      server.trustStore().store(out, "changeit".toCharArray());
    }
    return file;
  }

  private Path passwordFile(String password) throws Exception {
    Path file = dir.resolve("password");
    Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private List<String> args(SmarthostServer server, String password, String... more)
      throws Exception {
    List<String> a =
        new ArrayList<>(
            List.of(
                "check",
                "--host",
                "localhost",
                "--port",
                Integer.toString(server.port()),
                "--encryption",
                server.encryption().configValue(),
                "--username",
                "app",
                "--password-file",
                passwordFile(password).toString(),
                "--trust-store",
                trustStore(server).toString(),
                "--trust-store-password",
                "changeit",
                "--timeout",
                "5s"));
    a.addAll(List.of(more));
    return a;
  }

  @Test
  void versionIsTheOneMavenBuilt() {
    CliRun r = run("--version");
    assertThat(r.exit).isZero();
    assertThat(System.getProperty("smarthost.expected.version")).isNotBlank();
    assertThat(r.out.strip())
        .isEqualTo("smarthost " + System.getProperty("smarthost.expected.version"));
  }

  @Test
  void exitZeroWhenTheCheckPasses() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().requireAuth("app", PASSWORD).start()) {
      CliRun r = run(args(server, PASSWORD).toArray(new String[0]));
      assertThat(r.exit).as(r.err).isZero();
      assertThat(r.out)
          .contains("Checking localhost:" + server.port())
          .contains("  starttls ")
          .contains("OK: connection and login work; only a test message (--from and --to) proves")
          .contains("AUTH offered: PLAIN LOGIN");
      // the phases in the order of the conversation
      assertThat(r.out.indexOf("  greeting ")).isLessThan(r.out.indexOf("  starttls "));
      assertThat(r.out.indexOf("  starttls ")).isLessThan(r.out.lastIndexOf("  ehlo "));
    }
  }

  @Test
  void eachPhaseIsPrintedWhenItCompletesNotAtTheEnd() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().requireAuth("app", PASSWORD).start()) {
      server.fault(Fault.stall(Fault.Step.AUTH)); // AUTH hangs until the 5 s deadline
      List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<Long> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
      OutputStream lineClock =
          new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
              if (b == '\n') {
                lines.add(line.toString(StandardCharsets.UTF_8));
                arrivals.add(System.nanoTime());
                line.reset();
              } else {
                line.write(b);
              }
            }
          };
      int exit =
          SmarthostCli.run(
              args(server, PASSWORD).toArray(new String[0]),
              new PrintStream(lineClock, true, StandardCharsets.UTF_8),
              new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertThat(exit).isEqualTo(1);
      int starttls = indexOf(lines, "  starttls ");
      int failed = indexOf(lines, "FAILED: READ_TIMEOUT");
      assertThat(starttls).as("%s", lines).isNotNegative().isLessThan(failed);
      // printed while AUTH still hung: seconds before the verdict, not with it
      assertThat(arrivals.get(failed) - arrivals.get(starttls))
          .isGreaterThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(2));
    }
  }

  private static int indexOf(List<String> lines, String start) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(start)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void discoverRecommendsThePortAndEncryptionThatWork() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder().encryption(Encryption.TLS).requireAuth("app", PASSWORD).start()) {
      List<String> common =
          List.of(
              "discover",
              "--host",
              "localhost",
              "--ports",
              Integer.toString(server.port()),
              "--username",
              "app",
              "--password-file",
              passwordFile(PASSWORD).toString(),
              "--trust-store",
              trustStore(server).toString(),
              "--trust-store-password",
              "changeit",
              "--timeout",
              "20s");
      CliRun text = run(common.toArray(new String[0]));
      assertThat(text.exit).as(text.err).isZero();
      assertThat(text.out)
          .contains("Discovering localhost on ports " + server.port())
          .contains("SERVER_EXPECTS_TLS")
          .contains("ok, logged in")
          .contains("Recommended: --port " + server.port() + " --encryption tls with the login");
      List<String> withJson = new ArrayList<>(common);
      withJson.add("--json");
      CliRun json = run(withJson.toArray(new String[0]));
      JsonNode root = new ObjectMapper().readTree(json.out);
      assertThat(root.get("recommended").get("encryption").asText()).isEqualTo("tls");
      assertThat(root.get("recommended").get("verifyTls").asBoolean()).isTrue();
      assertThat(root.get("candidates")).hasSize(2);
      assertThat(root.get("candidates").get(0).get("kind").asText())
          .isEqualTo("SERVER_EXPECTS_TLS");
    }
    CliRun bad = run("discover", "--host", "localhost", "--ports", "25,70000");
    assertThat(bad.exit).isEqualTo(2);
    assertThat(bad.err).contains("--ports: each must be 1–65535, but was 70000");
  }

  @Test
  void outboxListRetryAndPurgeWhileTheApplicationRuns() throws Exception {
    Path spool = dir.resolve("spool");
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start();
        dev.smarthost.core.outbox.FileOutbox outbox =
            dev.smarthost.core.outbox.FileOutbox.open(spool);
        dev.smarthost.core.send.SmarthostMailer mailer =
            dev.smarthost.core.send.SmarthostMailer.builder(
                    () -> java.util.Optional.of(server.settings()))
                .outbox(outbox)
                .build()) {
      server.fault(Fault.reject(Fault.Step.MAIL, 553, "5.7.1 Sender address rejected").times(2));
      jakarta.mail.internet.MimeMessage m =
          new jakarta.mail.internet.MimeMessage(
              jakarta.mail.Session.getInstance(new java.util.Properties()));
      m.setFrom("app@example.org");
      m.setRecipients(jakarta.mail.Message.RecipientType.TO, "admin@example.org");
      m.setSubject("via the outbox");
      m.setText("x");
      String first = mailer.enqueue(m);
      String second = mailer.enqueue(m);
      long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (outbox.dead().size() < 2 && System.nanoTime() < end) {
        Thread.sleep(20);
      }
      CliRun list = run("outbox", "list", "--dir", spool.toString(), "--json");
      assertThat(list.exit).as(list.err).isZero();
      JsonNode json = new ObjectMapper().readTree(list.out);
      assertThat(json.get("pending")).isEmpty();
      assertThat(json.get("dead")).hasSize(2);
      assertThat(json.get("dead").get(0).get("lastFailure").get("code").asInt()).isEqualTo(553);
      CliRun text = run("outbox", "list", "--dir", spool.toString());
      assertThat(text.out).contains("Dead: 2").contains(first).contains("SENDER_REJECTED — 553");

      CliRun retry = run("outbox", "retry", first, "--dir", spool.toString());
      assertThat(retry.exit).isZero();
      assertThat(retry.out).contains("Retrying " + first);
      // the running mailer picks the retried entry up (it rescans within 5 s)
      assertThat(server.awaitMessages(1, java.time.Duration.ofSeconds(15))).hasSize(1);
      assertThat(run("outbox", "retry", "no-such-id", "--dir", spool.toString()).exit).isEqualTo(1);
      CliRun purge = run("outbox", "purge-dead", "--dir", spool.toString(), "--json");
      assertThat(new ObjectMapper().readTree(purge.out).get("purged").asInt()).isEqualTo(1);
      assertThat(outbox.dead()).isEmpty();
      assertThat(second).isNotEqualTo(first);
    }
    CliRun notAnOutbox = run("outbox", "list", "--dir", dir.toString());
    assertThat(notAnOutbox.exit).isEqualTo(2);
    assertThat(notAnOutbox.err).contains("is not an outbox");
  }

  @Test
  void exitOneWithKindAndHintWhenItFails() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().requireAuth("app", PASSWORD).start()) {
      CliRun r = run(args(server, "wrong-" + PASSWORD.substring(0, 3)).toArray(new String[0]));
      assertThat(r.exit).isEqualTo(1);
      assertThat(r.out)
          .contains("FAILED: AUTHENTICATION_FAILED")
          .contains("Hint: The server rejected the username or password");
    }
  }

  @Test
  void jsonHasTheDocumentedShape() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().requireAuth("app", PASSWORD).start()) {
      server.fault(Fault.reject(Fault.Step.RCPT, 554, "5.7.1 Relay access denied"));
      CliRun r =
          run(
              args(server, PASSWORD, "--json", "--from", "a@example.org", "--to", "b@example.org")
                  .toArray(new String[0]));
      assertThat(r.exit).isEqualTo(1);
      JsonNode json = new ObjectMapper().readTree(r.out);
      assertThat(json.get("ok").asBoolean()).isFalse();
      assertThat(json.get("failure").get("kind").asText()).isEqualTo("RECIPIENT_REJECTED");
      assertThat(json.get("failure").get("code").asInt()).isEqualTo(554);
      assertThat(json.get("failure").get("reply").asText()).contains("Relay access denied");
      assertThat(json.get("failure").get("hint").asText()).isNotBlank();
      assertThat(json.get("phases").isArray()).isTrue();
      assertThat(json.get("phases").get(0).get("phase").asText()).isEqualTo("RESOLVE");
      assertThat(json.get("tls").get("protocol").asText()).startsWith("TLSv1.");
      assertThat(json.get("tls").get("peerAlternativeNames").toString()).contains("localhost");
      assertThat(json.get("server").get("authMechanisms").toString()).contains("PLAIN");
      assertThat(json.get("server").get("passwordSet").asBoolean()).isTrue();
      assertThat(json.get("server").has("password")).isFalse();
      assertThat(json.get("testMessageSent").asBoolean()).isFalse();
    }
  }

  @Test
  void jsonFailureIsNullWhenOk() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      CliRun r =
          run(
              "check",
              "--host",
              "localhost",
              "--port",
              Integer.toString(server.port()),
              "--encryption",
              "none",
              "--json");
      assertThat(r.exit).as(r.err).isZero();
      JsonNode json = new ObjectMapper().readTree(r.out);
      assertThat(json.get("ok").asBoolean()).isTrue();
      assertThat(json.get("failure").isNull()).isTrue();
      assertThat(json.get("tls").isNull()).isTrue();
    }
  }

  @Test
  void exitTwoForBadUsageNamingTheOption() throws Exception {
    assertThat(run("check", "--host", "h", "--encryption", "ssl").err)
        .contains("--encryption: 'ssl' is not one of none, starttls, tls");
    assertThat(run("check", "--host", "h", "--port", "70000").err)
        .contains("--port: must be 1–65535");
    assertThat(run("check").err).contains("give one of --env-file, --redis or --host");
    assertThat(run("check", "--redis", "http://x", "--host", "h").err)
        .contains("give one of --env-file, --redis or --host");
    assertThat(run("check", "--redis", "http://x").err)
        .contains("--redis: the scheme must be redis or rediss");
    assertThat(run("check", "--host", "h", "--password", PASSWORD).err)
        .contains("--password: never pass a password as an argument");
    assertThat(run("check", "--host", "h", "--username", "u").err)
        .contains("--password-file or --password-env: required with --username");
    assertThat(
            run(
                    "check",
                    "--host",
                    "h",
                    "--password-env",
                    "SMARTHOST_TEST_UNSET_VAR",
                    "--username",
                    "u")
                .err)
        .contains("--password-env: SMARTHOST_TEST_UNSET_VAR is not set");
    assertThat(run("check", "--host", "h", "--timeout", "soon").err)
        .contains("--timeout: 'soon' is not a duration");
    assertThat(run("check", "--host", "h", "--trust-store", "smtp.example.org").err)
        .contains("--trust-store: smtp.example.org is not a readable file");
    Path notAKeyStore = Files.writeString(dir.resolve("not-a-keystore.p12"), "hello");
    assertThat(run("check", "--host", "h", "--trust-store", notAKeyStore.toString()).err)
        .contains("--trust-store: cannot load " + notAKeyStore);
    assertThat(run("send-test", "--host", "h").err).contains("--from: required");
    assertThat(run("check", "--host", "h", "--from", "x").err)
        .contains("--to: required with --from");
    assertThat(run("check", "--bogus").exit).isEqualTo(2);
    CliRun stray = run("check", "--host", "h", PASSWORD, "--pasword=" + PASSWORD);
    assertThat(stray.err)
        .contains(
            "unknown option '--pasword=…' and 1 unexpected value (not shown: a value may be a"
                + " secret)")
        .doesNotContain(PASSWORD);
    assertThat(stray.exit).isEqualTo(2);
    for (String[] args :
        List.of(
            new String[] {"check", "--host", "h", "--encryption", "ssl"},
            new String[] {"check"},
            new String[] {"send-test", "--host", "h"},
            new String[] {"check", "--bogus"},
            new String[] {})) {
      assertThat(run(args).exit).as(String.join(" ", args)).isEqualTo(2);
    }
  }

  @Test
  void exitTwoForABrokenEnvFileNamingTheLine() throws Exception {
    Path env = dir.resolve("smarthost.env");
    Files.writeString(
        env, "SMTP_ENABLED=1\nSMTP_HOST=h\nSMTP_PORT=abc\nSMTP_PASSWORD=" + PASSWORD + "\n");
    CliRun r = run("check", "--env-file", env.toString());
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains(env + " line 3, SMTP_PORT: 'abc' is not a number");
    Files.writeString(env, "SMTP_ENABLED=\n");
    assertThat(run("check", "--env-file", env.toString()).err).contains("e-mail is switched off");
  }

  @Test
  void envFileWorksEndToEnd() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder().encryption(Encryption.TLS).requireAuth("app", PASSWORD).start()) {
      Path env = dir.resolve("smarthost.env");
      server.writeEnvFile(env);
      CliRun r =
          run(
              "send-test",
              "--env-file",
              env.toString(),
              "--trust-store",
              trustStore(server).toString(),
              "--trust-store-password",
              "changeit",
              "--from",
              "a@example.org",
              "--to",
              "b@example.org");
      assertThat(r.exit).as(r.out + r.err).isZero();
      assertThat(r.out).contains("OK: test message accepted");
      assertThat(server.awaitMessages(1, java.time.Duration.ofSeconds(5))).hasSize(1);
    }
  }

  /** Security review, item 6: each was an ArithmeticException or a stack trace before. */
  @Test
  void hostileOptionValuesAreUsageErrorsOnOneLine() throws Exception {
    for (String[] args :
        List.of(
            new String[] {"check", "--host", "h", "--timeout", "9223372036854775807s"},
            new String[] {"check", "--host", "h", "--timeout", "1000000000m"},
            new String[] {"check", "--host", "h", "--timeout", "2h"},
            new String[] {"serve", "--env-file", "x.env", "--token-file", "/nonexistent"},
            new String[] {"serve", "--redis", "redis://bad host:1"},
            new String[] {"serve", "--redis", "redis://127.0.0.1"},
            new String[] {"serve", "--redis", "http://127.0.0.1:6379"},
            new String[] {"check", "--redis", "redis://bad host:1"})) {
      CliRun r = run(args);
      assertThat(r.exit).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err.lines().filter(l -> l.startsWith("smarthost: "))).hasSize(1);
      assertThat(r.err).doesNotContain("\tat ").doesNotContain("Caused by");
    }
    assertThat(run("check", "--host", "h", "--timeout", "9223372036854775807s").err)
        .contains("--timeout: must be at most 1h");
    assertThat(run("serve", "--env-file", "x.env", "--token-file", "/nonexistent").err)
        .contains("--token-file: cannot read /nonexistent");
    assertThat(run("serve", "--redis", "redis://bad host:1").err)
        .contains("--redis: not a URI such as redis://127.0.0.1:6379");
  }

  /** Security review, item 7: secrets need not be on the command line, and one there is flagged. */
  @Test
  void secretsComeFromFilesOrTheEnvironmentAndAUriPasswordIsWarnedAbout() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().requireAuth("app", PASSWORD).start()) {
      List<String> a = args(server, PASSWORD);
      int i = a.indexOf("--trust-store-password");
      a.set(i, "--trust-store-password-file");
      a.set(i + 1, Files.writeString(dir.resolve("store-password"), "changeit\n").toString());
      CliRun r = run(a.toArray(new String[0]));
      assertThat(r.exit).as(r.err).isZero();
    }
    CliRun both =
        run(
            "check",
            "--host",
            "h",
            "--trust-store-password",
            "x",
            "--trust-store-password-env",
            "PATH");
    assertThat(both.exit).isEqualTo(2);
    assertThat(both.err).contains("--trust-store-password: give it once");

    int closed = closedPort(); // a port this test bound and closed: nothing listens there
    CliRun warned =
        run(
            "check",
            "--redis",
            "rediss://default:" + PASSWORD + "@127.0.0.1:" + closed,
            "--timeout",
            "1s");
    assertThat(warned.err)
        .contains("warning: the --redis URI carries a password")
        .contains("rediss://127.0.0.1:" + closed);
    Path redisPassword = Files.writeString(dir.resolve("redis-password"), "other\n");
    CliRun twice =
        run(
            "check",
            "--redis",
            "redis://default:x@127.0.0.1:" + closed,
            "--redis-password-file",
            redisPassword.toString());
    assertThat(twice.exit).isEqualTo(2);
    assertThat(twice.err).contains("--redis: carries a password and --redis-password-file/-env");
  }

  /** Security review, item 8: a token the administrator chose is not printed. */
  @Test
  void serveWithATokenFileDoesNotPrintTheToken() throws Exception {
    String token = "administrators-own-token-0123456789";
    Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread serve =
        new Thread(
            () ->
                SmarthostCli.run(
                    new String[] {
                      "serve",
                      "--env-file",
                      dir.resolve("smarthost.env").toString(),
                      "--listen",
                      "127.0.0.1:0",
                      "--token-file",
                      tokenFile.toString()
                    },
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
    serve.setDaemon(true);
    serve.start();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
    while (!out.toString(StandardCharsets.UTF_8).contains("Settings page")
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    serve.interrupt();
    serve.join(10_000);
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("Settings page: http://127.0.0.1:").doesNotContain(token);
    assertThat(printed).contains("#token=<the token in " + tokenFile + ">");
  }

  @Test
  void checkReadsTheClustersRedisStore() throws Exception {
    try (SmarthostServer server =
            SmarthostServer.builder()
                .encryption(Encryption.TLS)
                .requireAuth("app", PASSWORD)
                .start();
        dev.smarthost.testsupport.RedisServer redis =
            dev.smarthost.testsupport.RedisServer.start();
        redis.clients.jedis.Jedis jedis = redis.client()) {
      jedis.hset(
          "cluster/smarthost",
          java.util.Map.of(
              "enabled",
              "1",
              "host",
              "localhost",
              "port",
              Integer.toString(server.port()),
              "encrypt_smtp",
              "tls",
              "tls_verify",
              "1",
              "username",
              "app",
              "password",
              PASSWORD));
      CliRun r =
          run(
              "check",
              "--redis",
              redis.uri().toString(),
              "--trust-store",
              trustStore(server).toString(),
              "--trust-store-password",
              "changeit",
              "--json");
      assertThat(r.exit).as(r.out + r.err).isZero();
      assertThat(new ObjectMapper().readTree(r.out).get("server").get("encryption").asText())
          .isEqualTo("tls");
      jedis.hset("cluster/smarthost", "port", "x");
      CliRun bad = run("check", "--redis", redis.uri().toString());
      assertThat(bad.exit).isEqualTo(2);
      assertThat(bad.err).contains("redis cluster/smarthost, port: 'x' is not a number");
    }
  }

  @Test
  void demoRunsTheWholeFlow() {
    CliRun r = run("demo");
    assertThat(r.exit).as(r.out + r.err).isZero();
    assertThat(r.out)
        .contains("Wrote ")
        .contains("OK: test message accepted")
        .contains("The smarthost received");
  }

  private static int closedPort() throws java.io.IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
