package dev.smarthost.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class SmarthostServerTest {
  static final String USER = "app";
  static final String PASSWORD = "s3cret-Pässwörd";

  static Stream<Arguments> modes() {
    return Stream.of(Encryption.values())
        .flatMap(e -> Stream.of(Arguments.of(e, false), Arguments.of(e, true)));
  }

  /** A plain Angus session configured by hand, trusting only the server's CA: no trust-all. */
  static Session plainAngusSession(SmarthostServer server, boolean auth) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(server.trustStore());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    Properties p = new Properties();
    p.put("mail.smtp.host", server.host());
    p.put("mail.smtp.port", Integer.toString(server.port()));
    p.put("mail.smtp.connectiontimeout", "5000");
    p.put("mail.smtp.timeout", "10000");
    p.put("mail.smtp.localhost", "client.test");
    p.put("mail.smtp.ssl.socketFactory", context.getSocketFactory());
    p.put("mail.smtp.ssl.checkserveridentity", "true");
    p.put("mail.smtp.ssl.enable", Boolean.toString(server.encryption() == Encryption.TLS));
    p.put(
        "mail.smtp.starttls.required",
        Boolean.toString(server.encryption() == Encryption.STARTTLS));
    p.put("mail.smtp.auth", Boolean.toString(auth));
    return Session.getInstance(p);
  }

  static MimeMessage message(Session session, String subject) throws Exception {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("app@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
    m.setSubject(subject, "UTF-8");
    m.setText("Grüße from the testkit\n.\nline after a lone dot", "UTF-8");
    return m;
  }

  @ParameterizedTest(name = "{0} auth={1}")
  @MethodSource("modes")
  void receivesFromAPlainAngusSessionThatVerifiesTheCertificate(Encryption encryption, boolean auth)
      throws Exception {
    SmarthostServer.Builder b = SmarthostServer.builder().encryption(encryption);
    if (auth) {
      b.requireAuth(USER, PASSWORD);
    }
    try (SmarthostServer server = b.start()) {
      Session session = plainAngusSession(server, auth);
      MimeMessage m = message(session, "Hello " + encryption);
      if (auth) {
        Transport.send(m, USER, PASSWORD);
      } else {
        Transport.send(m);
      }
      List<ReceivedMessage> got = server.awaitMessages(1, Duration.ofSeconds(5));
      assertThat(got).hasSize(1);
      ReceivedMessage r = got.get(0);
      assertThat(r.subject()).contains("Hello " + encryption);
      assertThat(r.envelopeSender()).isEqualTo("app@example.org");
      assertThat(r.recipients()).containsExactly("admin@example.org");
      assertThat(r.encrypted()).isEqualTo(encryption != Encryption.NONE);
      assertThat(r.tlsProtocol().isPresent()).isEqualTo(encryption != Encryption.NONE);
      assertThat(r.authenticatedUser())
          .isEqualTo(auth ? java.util.Optional.of(USER) : java.util.Optional.empty());
      assertThat(r.heloName()).isEqualTo("client.test");
      assertThat(r.body()).isEqualTo("Grüße from the testkit\n.\nline after a lone dot\n");
      assertThat(r.headers("Received"))
          .anySatisfy(
              h -> assertThat(h).contains("(smarthost-testkit) with ESMTP").contains(r.id()));
    }
  }

  @ParameterizedTest(name = "{0} auth={1}")
  @MethodSource("modes")
  void receivesThroughItsOwnVerifiedSession(Encryption encryption, boolean auth) throws Exception {
    SmarthostServer.Builder b = SmarthostServer.builder().encryption(encryption);
    if (auth) {
      b.requireAuth(USER, PASSWORD);
    }
    try (SmarthostServer server = b.start()) {
      assertThat(server.settings().verifyTls()).isTrue();
      Transport.send(message(server.session(), "via settings"));
      ReceivedMessage r = server.awaitMessages(1, Duration.ofSeconds(5)).get(0);
      assertThat(r.encrypted()).isEqualTo(encryption != Encryption.NONE);
      assertThat(r.authenticatedUser().isPresent()).isEqualTo(auth);
    }
  }

  @Test
  void requiredAuthRejectsUnauthenticatedMailAndClearTextAuth() throws Exception {
    try (SmarthostServer server =
            SmarthostServer.builder()
                .encryption(Encryption.STARTTLS)
                .requireAuth(USER, PASSWORD)
                .start();
        RawClient c = new RawClient(server.port(), 5_000)) {
      assertThat(c.reply()).startsWith("220 ");
      String ehlo = c.send("EHLO raw.test");
      assertThat(ehlo).contains("STARTTLS").doesNotContain("AUTH");
      assertThat(c.send("AUTH PLAIN " + plain(USER, PASSWORD))).startsWith("538 ");
      assertThat(c.send("MAIL FROM:<a@example.org>")).startsWith("530 ");
      assertThat(c.send("STARTTLS")).startsWith("220 ");
      c.tls(server.trustStore());
      assertThat(c.send("EHLO raw.test")).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
      assertThat(c.send("MAIL FROM:<a@example.org>")).startsWith("530 ");
      assertThat(c.send("AUTH PLAIN " + plain(USER, "wrong"))).startsWith("535 ");
      assertThat(c.send("AUTH LOGIN")).startsWith("334 VXNlcm5hbWU6");
      assertThat(c.send(b64(USER))).startsWith("334 UGFzc3dvcmQ6");
      assertThat(c.send(b64(PASSWORD))).startsWith("235 ");
      assertThat(c.send("MAIL FROM:<a@example.org>")).startsWith("250");
      assertThat(c.send("QUIT")).startsWith("221 ");
    }
  }

  static String plain(String user, String password) {
    return b64("\0" + user + "\0" + password);
  }

  static String b64(String s) {
    return java.util.Base64.getEncoder()
        .encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void writesTheClustersEnvFile(@TempDir Path dir) throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().requireAuth(USER, PASSWORD).start()) {
      Path env = dir.resolve("smarthost.env");
      server.writeEnvFile(env);
      assertThat(Files.readAllLines(env))
          .containsExactly(
              "SMTP_ENABLED=1",
              "SMTP_HOST=localhost",
              "SMTP_PORT=" + server.port(),
              "SMTP_USERNAME=app",
              "SMTP_PASSWORD=" + PASSWORD,
              "SMTP_ENCRYPTION=starttls",
              "SMTP_TLSVERIFY=1");
      assertThat(dev.smarthost.core.settings.EnvFileSmarthostResolver.of(env).resolve())
          .contains(server.settings());
    }
  }

  @Test
  void awaitMessagesFailsListingWhatArrived() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      Transport.send(message(server.session(), "only one"));
      assertThatThrownBy(() -> server.awaitMessages(2, Duration.ofMillis(300)))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("expected at least 2 message(s)")
          .hasMessageContaining("but 1 arrived")
          .hasMessageContaining("subject=only one");
      server.reset();
      assertThat(server.receivedMessages()).isEmpty();
    }
  }

  @Test
  void twentyServersStartAndStopWithoutLeakingThreadsOrPorts() throws Exception {
    Set<String> before = testkitThreads();
    int[] ports = new int[20];
    for (int i = 0; i < 20; i++) {
      try (SmarthostServer server =
          SmarthostServer.builder().encryption(Encryption.values()[i % 3]).start()) {
        ports[i] = server.port();
        Transport.send(message(server.session(), "loop " + i));
        assertThat(server.awaitMessages(1, Duration.ofSeconds(5))).hasSize(1);
      }
    }
    for (int port : ports) {
      assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
          .isInstanceOf(ConnectException.class);
    }
    assertThat(testkitThreads()).isSubsetOf(before);
  }

  static Set<String> testkitThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("smarthost-testkit") || n.startsWith("smtp:"))
        .collect(Collectors.toSet());
  }

  @Test
  void twoServersRunInParallelWithTheirOwnCertificates() throws Exception {
    try (SmarthostServer a = SmarthostServer.builder().encryption(Encryption.TLS).start();
        SmarthostServer b = SmarthostServer.builder().encryption(Encryption.TLS).start()) {
      Thread other = new Thread(() -> sendQuietly(b));
      other.start();
      Transport.send(message(a.session(), "to a"));
      other.join(10_000);
      assertThat(a.awaitMessages(1, Duration.ofSeconds(5)).get(0).subject()).contains("to a");
      assertThat(b.awaitMessages(1, Duration.ofSeconds(5)).get(0).subject()).contains("to b");
      // Each trusts only its own CA: a's session cannot reach b.
      Session crossed =
          new dev.smarthost.core.session.SmarthostSessionFactory(a.smtpOptions())
              .session(b.settings());
      assertThatThrownBy(() -> Transport.send(message(crossed, "crossed")))
          .hasStackTraceContaining("PKIX path");
    }
  }

  private static void sendQuietly(SmarthostServer server) {
    try {
      Transport.send(message(server.session(), "to b"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void builderChecksItsArguments() {
    assertThatThrownBy(() -> SmarthostServer.builder().port(70000))
        .hasMessageStartingWith("port: ");
    assertThatThrownBy(() -> SmarthostServer.builder().requireAuth("", "x"))
        .hasMessageStartingWith("username: ");
    assertThatThrownBy(() -> Fault.reject(Fault.Step.RCPT, 250, "ok"))
        .hasMessageStartingWith("code: ");
    assertThatThrownBy(() -> Fault.slowGreeting(Duration.ZERO)).hasMessageStartingWith("delay: ");
  }

  @Test
  void anAttachmentNameInAnEncodedWordIsDecodedAsMailClientsWriteIt() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      MimeMessage m = new MimeMessage(server.session());
      m.setFrom(new InternetAddress("app@example.org"));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
      jakarta.mail.internet.MimeBodyPart attachment = new jakarta.mail.internet.MimeBodyPart();
      attachment.setContent("x", "text/plain; charset=UTF-8");
      // as Outlook and Gmail write a non-ASCII name: an RFC 2047 encoded word in filename=
      attachment.setHeader(
          "Content-Disposition", "attachment; filename=\"=?UTF-8?Q?Bericht_M=C3=A4rz.txt?=\"");
      m.setContent(new jakarta.mail.internet.MimeMultipart(attachment));
      Transport.send(m);
      assertThat(server.awaitMessages(1, Duration.ofSeconds(5)).get(0).attachments())
          .singleElement()
          .satisfies(a -> assertThat(a.name()).isEqualTo("Bericht März.txt"));
    }
  }

  @Test
  void givesTheHtmlPartAndTheAttachmentsOfAMultipartMessage() throws Exception {
    try (SmarthostServer server = SmarthostServer.builder().encryption(Encryption.NONE).start()) {
      MimeMessage m = new MimeMessage(server.session());
      m.setFrom(new InternetAddress("app@example.org"));
      m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
      m.setSubject("Report");
      jakarta.mail.internet.MimeMultipart alternative =
          new jakarta.mail.internet.MimeMultipart("alternative");
      jakarta.mail.internet.MimeBodyPart text = new jakarta.mail.internet.MimeBodyPart();
      text.setText("Disk almost full", "UTF-8");
      jakarta.mail.internet.MimeBodyPart html = new jakarta.mail.internet.MimeBodyPart();
      html.setContent("<p>Disk <b>almost</b> full – 98 %</p>", "text/html; charset=UTF-8");
      alternative.addBodyPart(text);
      alternative.addBodyPart(html);
      jakarta.mail.internet.MimeBodyPart body = new jakarta.mail.internet.MimeBodyPart();
      body.setContent(alternative);
      byte[] pdf = {'%', 'P', 'D', 'F', '-', '1', '.', '7', 0, (byte) 0xff, 10};
      jakarta.mail.internet.MimeBodyPart attachment = new jakarta.mail.internet.MimeBodyPart();
      attachment.setDataHandler(
          new jakarta.activation.DataHandler(
              new jakarta.mail.util.ByteArrayDataSource(pdf, "application/pdf")));
      // The name with its charset (RFC 2231): without one Jakarta Mail encodes it in the platform
      // charset (US-ASCII under LANG=C on JDK 17) and the ä is lost before the message leaves.
      jakarta.mail.internet.ParameterList name = new jakarta.mail.internet.ParameterList();
      name.set("filename", "Bericht März.pdf", "UTF-8");
      attachment.setHeader(
          "Content-Disposition",
          new jakarta.mail.internet.ContentDisposition(jakarta.mail.Part.ATTACHMENT, name)
              .toString());
      jakarta.mail.internet.MimeMultipart mixed = new jakarta.mail.internet.MimeMultipart("mixed");
      mixed.addBodyPart(body);
      mixed.addBodyPart(attachment);
      m.setContent(mixed);
      m.saveChanges();
      Transport.send(m);

      ReceivedMessage received = server.awaitMessages(1, Duration.ofSeconds(5)).get(0);
      assertThat(received.body()).isEqualTo("Disk almost full");
      assertThat(received.html()).hasValue("<p>Disk <b>almost</b> full – 98 %</p>");
      assertThat(received.attachments()).hasSize(1);
      ReceivedMessage.Attachment a = received.attachments().get(0);
      assertThat(a.name()).isEqualTo("Bericht März.pdf");
      assertThat(a.contentType()).isEqualTo("application/pdf");
      assertThat(a.content()).isEqualTo(pdf);
      dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat(server)
          .received(1)
          .message(0)
          .hasHtmlContaining("<b>almost</b>")
          .hasAttachment("Bericht März.pdf", "application/pdf");
      assertThatThrownBy(
              () ->
                  dev.smarthost.testkit.assertj.SmarthostAssertions.assertThat(server)
                      .received(1)
                      .message(0)
                      .hasAttachment("other.pdf", "application/pdf"))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("expected an attachment <other.pdf>");
    }
  }

  @Test
  void aMessageCanBeReadOverImapToo() throws Exception {
    try (SmarthostServer server =
        SmarthostServer.builder()
            .encryption(Encryption.STARTTLS)
            .requireAuth(USER, PASSWORD)
            .imap()
            .start()) {
      Transport.send(message(server.session(), "over IMAP"));
      server.awaitMessages(1, Duration.ofSeconds(5));
      jakarta.mail.Store imap = Session.getInstance(new Properties()).getStore("imap");
      imap.connect("127.0.0.1", server.imapPort(), "admin@example.org", "admin@example.org");
      try {
        jakarta.mail.Folder inbox = imap.getFolder("INBOX");
        inbox.open(jakarta.mail.Folder.READ_ONLY);
        jakarta.mail.Message[] messages = inbox.getMessages();
        assertThat(messages).hasSize(1);
        assertThat(messages[0].getSubject()).isEqualTo("over IMAP");
        assertThat(messages[0].getHeader("Received")[0])
            .contains("(smarthost-testkit) with ESMTPSA");
        inbox.close(false);
      } finally {
        imap.close();
      }
    }
    try (SmarthostServer withoutImap = SmarthostServer.builder().start()) {
      assertThatThrownBy(withoutImap::imapPort)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("builder().imap()");
    }
  }
}
