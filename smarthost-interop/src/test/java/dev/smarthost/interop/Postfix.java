package dev.smarthost.interop;

import dev.smarthost.testkit.internal.Certificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Postfix (with Dovecot for SASL) from Debian's packages, configured in a temporary
 * directory on free loopback ports, one smtpd per scenario. Accepted messages go to the hold queue
 * (a header check), so nothing leaves the machine; the log tells what arrived, how, and as whom.
 */
final class Postfix implements AutoCloseable {
  /** The smtpd services, one per scenario. */
  enum Service {
    /** Clear text, relays for 127.0.0.0/8 (what "use the Mail app instance" talks to). */
    RELAY,
    /** STARTTLS required, AUTH only after STARTTLS, relays for authenticated clients. */
    SUBMISSION,
    /** Implicit TLS and AUTH, like port 465. */
    SMTPS,
    /** Implicit TLS with a certificate for another name. */
    WRONG_NAME,
    /** Implicit TLS with a self-signed certificate. */
    SELF_SIGNED,
    /** Implicit TLS with an expired certificate. */
    EXPIRED,
    /** Clear text, relays for nobody (without AUTH): relaying is denied. */
    RELAY_DENIED,
    /** Like {@link #RELAY}, without PIPELINING and CHUNKING in the EHLO reply. */
    LOCKSTEP,
    /** Like {@link #RELAY} with {@code message_size_limit = 100000} (advertised as SIZE). */
    SIZED,
    /**
     * Like {@link #RELAY} with SMTPUTF8 ({@code smtputf8_enable}; every other smtpd has it off).
     */
    UTF8,
    /**
     * Like {@link #RELAY}, but at most 2 connections from one client ({@code
     * smtpd_client_connection_count_limit}, loopback not exempt): a third is answered 421.
     */
    CAPPED
  }

  private static final Pattern HELD =
      Pattern.compile(
          "hold: header Subject: (.*?) from localhost\\[127\\.0\\.0\\.1\\]; from=<([^>]*)> to=<([^>]*)>");

  final Path dir;
  private final Map<Service, Integer> ports = new EnumMap<>(Service.class);
  private final Certificates authority =
      Certificates.newAuthority("interop CA " + System.nanoTime());
  private final Process dovecot;
  private final Process postfix;

  private Postfix(
      String user, String password, java.net.@org.jspecify.annotations.Nullable URI introspection)
      throws Exception {
    requireInstalled();
    dir = Files.createTempDirectory("smarthost-postfix");
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    for (Service s : Service.values()) {
      ports.put(s, freePort());
    }
    writeCertificates();
    dovecot = startDovecot(user, password, introspection);
    postfix = startPostfix();
    for (Service s : Service.values()) {
      awaitListening(ports.get(s));
    }
  }

  static Postfix start(String user, String password) throws Exception {
    return new Postfix(user, password, null);
  }

  /**
   * Starts with Dovecot's {@code oauth2} passdb as well: XOAUTH2 and OAUTHBEARER logins are checked
   * by RFC 7662 introspection (POST, HTTP Basic client authentication) at {@code introspection},
   * and the token's {@code sub} must be the user.
   */
  static Postfix startWithOAuth2(String user, String password, java.net.URI introspection)
      throws Exception {
    return new Postfix(user, password, introspection);
  }

  String dovecotLog() throws IOException {
    Path log = dir.resolve("dovecot/dovecot.log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  int port(Service service) {
    return ports.get(service);
  }

  /**
   * Options that trust this Postfix' CA, with short timeouts for tests (5 s connect, 10 s read).
   */
  dev.smarthost.core.session.SmtpOptions options() {
    return dev.smarthost.core.session.SmtpOptions.builder()
        .trustStore(trustStore())
        .connectTimeout(java.time.Duration.ofSeconds(5))
        .readTimeout(java.time.Duration.ofSeconds(10))
        .build();
  }

  KeyStore trustStore() {
    return authority.trustStore();
  }

  /** Messages Postfix accepted (into its hold queue), as "subject from=<…> to=<…>". */
  List<String> held() throws IOException {
    List<String> result = new ArrayList<>();
    Matcher m = HELD.matcher(log());
    while (m.find()) {
      result.add(m.group(1) + " from=<" + m.group(2) + "> to=<" + m.group(3) + ">");
    }
    return result;
  }

  /** Postfix' log lines of the session that delivered {@code subject}, found by its queue id. */
  String session(String subject) throws IOException {
    String log = log();
    java.util.regex.Matcher id =
        java.util.regex.Pattern.compile(
                "postfix/cleanup\\[\\d+\\]: ([0-9A-F]+): hold: header Subject: "
                    + java.util.regex.Pattern.quote(subject)
                    + " ")
            .matcher(log);
    if (!id.find()) {
      throw new IllegalStateException("Postfix did not hold " + subject + "; log:\n" + log);
    }
    String client = "]: " + id.group(1) + ": client=";
    java.util.List<String> all = java.util.List.of(log.split("\n"));
    int at = 0;
    while (!all.get(at).contains(client)) {
      at++;
    }
    String pid = all.get(at).replaceFirst(".*smtpd\\[(\\d+)\\].*", "$1");
    int from = at;
    while (from > 0 && !all.get(from).contains("smtpd[" + pid + "]: connect from")) {
      from--;
    }
    int to = at;
    while (to < all.size() - 1 && !all.get(to).contains("smtpd[" + pid + "]: disconnect from")) {
      to++;
    }
    StringBuilder session = new StringBuilder();
    for (String line : all.subList(from, to + 1)) {
      if (line.contains("smtpd[" + pid + "]")) {
        session.append(line).append('\n');
      }
    }
    return session.toString();
  }

  /**
   * The log lines of the session that delivered {@code subject}, once Postfix logged its end (with
   * the commands it counted); waits at most {@code wait}.
   */
  String finishedSession(String subject, java.time.Duration wait)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    String session = session(subject);
    while (!session.contains("]: disconnect from") && System.nanoTime() < deadline) {
      Thread.sleep(50);
      session = session(subject);
    }
    return session;
  }

  String log() throws IOException {
    Path log = dir.resolve("maillog");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private static void requireInstalled() {
    for (String binary : new String[] {"/usr/sbin/postfix", "/usr/sbin/dovecot"}) {
      if (!Files.isExecutable(Path.of(binary))) {
        throw new IllegalStateException(
            binary + " is missing: apt-get install postfix dovecot-core (.ci/run does this)");
      }
    }
  }

  private void writeCertificates() throws IOException {
    Instant now = Instant.now();
    List<String> names = Certificates.LOOPBACK_NAMES;
    write(
        "good",
        authority.serverPem(names, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1))));
    write(
        "wrong",
        authority.serverPem(
            List.of("wrong-name.invalid"),
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(1))));
    write(
        "expired",
        authority.serverPem(names, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))));
    write("self", Certificates.selfSignedPem(names));
  }

  private void write(String name, Certificates.Pem pem) throws IOException {
    // key first, then the chain: smtpd_tls_chain_files reads them in order
    Files.writeString(
        dir.resolve(name + ".pem"), pem.privateKey + pem.chain, StandardCharsets.US_ASCII);
  }

  private Process startDovecot(
      String user, String password, java.net.@org.jspecify.annotations.Nullable URI introspection)
      throws Exception {
    Path d = Files.createDirectories(dir.resolve("dovecot"));
    String oauth2 = "";
    if (introspection != null) {
      Files.writeString(
          d.resolve("oauth2.conf"),
          String.join(
              "\n",
              "introspection_mode = post",
              "introspection_url = http://dovecot:introspection-secret@"
                  + introspection.getAuthority()
                  + introspection.getPath(),
              "force_introspection = yes",
              "username_attribute = username",
              "active_attribute = active",
              "active_value = true",
              ""));
      oauth2 =
          String.join(
              "\n",
              "passdb {",
              "  driver = oauth2",
              "  mechanisms = xoauth2 oauthbearer",
              "  args = " + d.resolve("oauth2.conf"),
              "}",
              "");
    }
    Files.writeString(
        d.resolve("users"), user + ":{PLAIN}" + password + "\n", StandardCharsets.UTF_8);
    Files.writeString(
        d.resolve("dovecot.conf"),
        String.join(
            "\n",
            "base_dir = " + d.resolve("run"),
            "state_dir = " + d.resolve("state"),
            "protocols =",
            "listen = 127.0.0.1",
            "log_path = " + d.resolve("dovecot.log"),
            "ssl = no",
            "auth_mechanisms = plain login" + (introspection != null ? " xoauth2 oauthbearer" : ""),
            "auth_verbose = yes",
            "disable_plaintext_auth = no",
            "passdb {",
            "  driver = passwd-file",
            "  mechanisms = plain login",
            "  args = scheme=PLAIN " + d.resolve("users"),
            "}",
            oauth2,
            "userdb {",
            "  driver = static",
            "  args = uid=nobody gid=nogroup home=/nonexistent",
            "}",
            "service auth {",
            "  unix_listener " + d.resolve("auth") + " {",
            "    mode = 0666",
            "  }",
            "}",
            "service anvil {",
            "  chroot =",
            "}",
            "service stats {",
            "  chroot =",
            "}",
            ""));
    Process p =
        new ProcessBuilder("/usr/sbin/dovecot", "-c", d.resolve("dovecot.conf").toString(), "-F")
            .redirectErrorStream(true)
            .redirectOutput(d.resolve("stdout.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!Files.exists(d.resolve("auth")) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    if (!Files.exists(d.resolve("auth"))) {
      p.destroyForcibly();
      throw new IllegalStateException(
          "dovecot did not start: " + Files.readString(d.resolve("stdout.log")));
    }
    return p;
  }

  private Process startPostfix() throws Exception {
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("queue"));
    UserPrincipal owner =
        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postfix");
    Files.setOwner(data, owner);
    Files.writeString(dir.resolve("hold"), "/^Subject:/ HOLD\n");
    Files.writeString(
        etc.resolve("main.cf"),
        String.join(
            "\n",
            "compatibility_level = 3.6",
            "queue_directory = " + dir.resolve("queue"),
            "data_directory = " + data,
            "mail_owner = postfix",
            "myhostname = postfix.test",
            "mydomain = test",
            "myorigin = postfix.test",
            "inet_interfaces = loopback-only",
            "inet_protocols = ipv4",
            "mydestination =",
            "relay_domains = example.org",
            "mynetworks = 127.0.0.0/8",
            "smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination",
            "header_checks = regexp:" + dir.resolve("hold"),
            "maillog_file = /dev/stdout",
            // on for cleanup (which logs what it holds: without it, non-ASCII is logged as '?'),
            // off for every smtpd but UTF8's
            "smtputf8_enable = yes",
            "smtpd_tls_loglevel = 1",
            "smtpd_sasl_type = dovecot",
            "smtpd_sasl_path = " + dir.resolve("dovecot/auth"),
            ""));
    String tls =
        "  -o smtpd_tls_security_level=encrypt\n  -o smtpd_sasl_auth_enable=yes\n"
            + "  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject\n";
    String master =
        service(Service.RELAY, "")
            + service(Service.SUBMISSION, tls + chain("good") + "  -o smtpd_tls_auth_only=yes\n")
            + service(Service.SMTPS, tls + chain("good") + "  -o smtpd_tls_wrappermode=yes\n")
            + service(Service.WRONG_NAME, tls + chain("wrong") + "  -o smtpd_tls_wrappermode=yes\n")
            + service(Service.SELF_SIGNED, tls + chain("self") + "  -o smtpd_tls_wrappermode=yes\n")
            + service(Service.EXPIRED, tls + chain("expired") + "  -o smtpd_tls_wrappermode=yes\n")
            + service(
                Service.RELAY_DENIED,
                "  -o mynetworks=\n  -o smtpd_relay_restrictions=reject_unauth_destination\n")
            + service(Service.LOCKSTEP, "  -o smtpd_discard_ehlo_keywords=pipelining,chunking\n")
            + service(Service.SIZED, "  -o message_size_limit=100000\n")
            + service(Service.UTF8, "")
            + service(
                Service.CAPPED,
                "  -o smtpd_client_connection_count_limit=2\n"
                    + "  -o smtpd_client_event_limit_exceptions=\n")
            + String.join(
                "\n",
                "pickup    unix  n - n 60 1 pickup",
                "cleanup   unix  n - n - 0 cleanup",
                "qmgr      unix  n - n 300 1 qmgr",
                "tlsmgr    unix  - - n 1000? 1 tlsmgr",
                "rewrite   unix  - - n - - trivial-rewrite",
                "bounce    unix  - - n - 0 bounce",
                "defer     unix  - - n - 0 bounce",
                "trace     unix  - - n - 0 bounce",
                "verify    unix  - - n - 1 verify",
                "flush     unix  n - n 1000? 0 flush",
                "proxymap  unix  - - n - - proxymap",
                "smtp      unix  - - n - - smtp",
                "relay     unix  - - n - - smtp",
                "showq     unix  n - n - - showq",
                "error     unix  - - n - - error",
                "retry     unix  - - n - - error",
                "discard   unix  - - n - - discard",
                "anvil     unix  - - n - 1 anvil",
                "scache    unix  - - n - 1 scache",
                "postlog   unix-dgram n - n - 1 postlogd",
                "");
    Files.writeString(etc.resolve("master.cf"), master);
    return new ProcessBuilder("/usr/sbin/postfix", "-c", etc.toString(), "start-fg")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("maillog").toFile())
        .start();
  }

  private String service(Service s, String options) {
    String utf8 = s == Service.UTF8 ? "" : "  -o smtputf8_enable=no\n";
    return "127.0.0.1:" + ports.get(s) + " inet n - n - - smtpd\n" + utf8 + options;
  }

  private String chain(String name) {
    return "  -o smtpd_tls_chain_files=" + dir.resolve(name + ".pem") + "\n";
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitListening(int port) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        if (!postfix.isAlive()) {
          throw new IllegalStateException("postfix exited: " + log());
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("postfix does not listen on " + port + ": " + log());
  }

  @Override
  public void close() throws Exception {
    new ProcessBuilder("/usr/sbin/postfix", "-c", dir.resolve("etc").toString(), "stop")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(20, TimeUnit.SECONDS);
    postfix.destroy();
    if (!postfix.waitFor(10, TimeUnit.SECONDS)) {
      postfix.destroyForcibly();
    }
    dovecot.destroy();
    if (!dovecot.waitFor(10, TimeUnit.SECONDS)) {
      dovecot.destroyForcibly();
    }
  }
}
