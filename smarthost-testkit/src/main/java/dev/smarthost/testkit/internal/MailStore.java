package dev.smarthost.testkit.internal;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Properties;

/**
 * GreenMail as the store: each accepted message goes straight into the mailbox of each recipient (a
 * GreenMail user, created on first use with the address as login and password, as GreenMail's own
 * SMTP server does), so that tests can also read it with GreenMail's API or its IMAP server. No
 * second SMTP connection.
 */
public final class MailStore {
  private final GreenMail greenMail;

  /** Headers are read as UTF-8 where they are (RFC 6532: what an SMTPUTF8 client sends). */
  private final Session session = Session.getInstance(utf8());

  private static Properties utf8() {
    Properties p = new Properties();
    p.setProperty("mail.mime.allowutf8", "true");
    return p;
  }

  public MailStore(GreenMail greenMail) {
    this.greenMail = greenMail;
  }

  /**
   * Starts GreenMail for a server: no SMTP server of its own (messages go in directly); its IMAP
   * server on a free loopback port only when asked for.
   */
  public static GreenMail startGreenMail(boolean imap) {
    ServerSetup[] servers = new ServerSetup[0];
    if (imap) {
      ServerSetup setup = new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
      setup.setServerStartupTimeout(10_000);
      servers = new ServerSetup[] {setup};
    }
    GreenMail greenMail = new GreenMail(servers);
    greenMail.start();
    return greenMail;
  }

  /** Parses the message as received (CRLF lines, dots already unstuffed). */
  MimeMessage parse(byte[] message) throws MessagingException {
    return new MimeMessage(session, new ByteArrayInputStream(message));
  }

  /** Stores one copy of the message in each recipient's INBOX. */
  void deliver(MimeMessage message, List<String> recipients) throws MessagingException {
    UserManager users = greenMail.getUserManager();
    for (String recipient : recipients) {
      GreenMailUser user;
      synchronized (users) {
        user = users.getUserByEmail(recipient);
        if (user == null) {
          try {
            user = users.createUser(recipient, recipient, recipient);
          } catch (UserException e) {
            throw new MessagingException("cannot create mailbox " + recipient, e);
          }
        }
      }
      user.deliver(new MimeMessage(message));
    }
  }
}
