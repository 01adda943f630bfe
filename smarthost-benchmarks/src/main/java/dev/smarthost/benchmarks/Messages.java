package dev.smarthost.benchmarks;

import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.security.GeneralSecurityException;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Test messages and the plain Angus sessions the benchmarks compare against. */
final class Messages {
  static final String USER = "bench";
  static final String PASSWORD = "bench-Pässwörd";

  private Messages() {}

  /** The server every mailer benchmark sends to: the testkit with STARTTLS and required AUTH. */
  static SmarthostServer server() {
    return SmarthostServer.builder()
        .encryption(dev.smarthost.Encryption.STARTTLS)
        .requireAuth(USER, PASSWORD)
        .start();
  }

  static MimeMessage notification(Session session, long n) throws MessagingException {
    return notification(session, n, 1);
  }

  /** The notification to {@code recipients} addresses: admin@, admin1@, admin2@... */
  static MimeMessage notification(Session session, long n, int recipients)
      throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    m.setFrom(new InternetAddress("app@example.org"));
    m.setRecipient(Message.RecipientType.TO, new InternetAddress("admin@example.org"));
    for (int i = 1; i < recipients; i++) {
      m.addRecipient(Message.RecipientType.TO, new InternetAddress("admin" + i + "@example.org"));
    }
    m.setSubject("notification " + n);
    m.setText("Disk almost full on node " + n + ".\nThis is a typical short notification.\n");
    m.saveChanges();
    return m;
  }

  /**
   * A session configured the way Spring Boot's mail auto-configuration does it: plain Angus
   * properties (host, port, auth, starttls), plus trust in the test server's CA. No timeouts, no
   * TCP_NODELAY, the stock transport.
   */
  static Session stockAngus(SmarthostServer server) throws GeneralSecurityException {
    return stockAngus(server, server.port());
  }

  /** The same, connecting to {@code port} (a proxy in front of the server) instead. */
  static Session stockAngus(SmarthostServer server, int port) throws GeneralSecurityException {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(server.trustStore());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    Properties p = new Properties();
    p.put("mail.transport.protocol", "smtp");
    p.put("mail.smtp.host", server.host());
    p.put("mail.smtp.port", Integer.toString(port));
    p.put("mail.smtp.auth", "true");
    p.put("mail.smtp.starttls.enable", "true");
    p.put("mail.smtp.starttls.required", "true");
    p.put("mail.smtp.ssl.socketFactory", context.getSocketFactory());
    p.put("mail.smtp.localhost", "bench.example.org");
    return Session.getInstance(
        p,
        new jakarta.mail.Authenticator() {
          @Override
          protected jakarta.mail.PasswordAuthentication getPasswordAuthentication() {
            return new jakarta.mail.PasswordAuthentication(USER, PASSWORD);
          }
        });
  }
}
