package dev.smarthost.core.internal;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;

/**
 * The envelope of one message for {@link PipelinedTransaction}: MAIL FROM and a RCPT TO per
 * recipient, built as Angus builds them for a plain {@code MimeMessage}, and the server's replies,
 * sorted and reported as Angus sorts and reports them (valid, valid but not sent, invalid; the same
 * exceptions).
 */
final class Envelope {
  final String mail;
  final List<String> rcpts = new ArrayList<>();
  private final InternetAddress[] recipients;
  private final boolean sendPartial;

  private final List<InternetAddress> valid = new ArrayList<>();
  private final List<InternetAddress> validUnsent = new ArrayList<>();
  private final List<InternetAddress> invalid = new ArrayList<>();
  private @Nullable MessagingException recipientFailures;
  private @Nullable MessagingException failure;

  /**
   * @param sender the envelope sender as it goes on the wire
   * @param recipients the recipients as given (reported as given)
   * @param wireRecipients the recipients as they go on the wire, in the same order
   * @param utf8 whether MAIL FROM declares SMTPUTF8
   * @param size the message's size for {@code SIZE=}, or -1 to leave it out
   */
  Envelope(
      SmarthostTransport transport,
      String sender,
      InternetAddress[] recipients,
      List<String> wireRecipients,
      boolean utf8,
      boolean sendPartial,
      long size) {
    Session session = transport.session();
    this.recipients = recipients;
    this.sendPartial = sendPartial;
    this.mail = mailCommand(transport, session, sender, utf8, size);
    String notify = session.getProperty("mail.smtp.dsn.notify");
    for (String address : wireRecipients) {
      String cmd = "RCPT TO:" + angleBrackets(address);
      rcpts.add(
          notify != null && transport.supportsExtension("DSN") ? cmd + " NOTIFY=" + notify : cmd);
    }
  }

  /**
   * Angus' MAIL FROM (envelope sender, SMTPUTF8, DSN RET, AUTH= submitter and extensions) with the
   * message's size (RFC 1870).
   */
  private static String mailCommand(
      SmarthostTransport transport, Session session, String from, boolean utf8, long size) {
    StringBuilder cmd = new StringBuilder("MAIL FROM:").append(angleBrackets(from));
    if (utf8) {
      cmd.append(" SMTPUTF8");
    }
    if (size >= 0) {
      cmd.append(" SIZE=").append(size);
    }
    String ret = session.getProperty("mail.smtp.dsn.ret");
    if (ret != null && transport.supportsExtension("DSN")) {
      cmd.append(" RET=").append(ret);
    }
    String submitter = session.getProperty("mail.smtp.submitter");
    if (submitter != null && transport.supportsExtension("AUTH")) {
      try {
        cmd.append(" AUTH=").append(SmarthostTransport.submitterText(submitter, utf8));
      } catch (IllegalArgumentException ignored) {
        // as Angus: an invalid submitter is left out
      }
    }
    String ext = session.getProperty("mail.smtp.mailextension");
    if (ext != null && !ext.isEmpty()) {
      cmd.append(' ').append(ext);
    }
    return cmd.toString();
  }

  private static String angleBrackets(String address) {
    return !address.startsWith("<") && !address.endsWith(">") ? "<" + address + ">" : address;
  }

  int size() {
    return recipients.length;
  }

  /** The reply to MAIL FROM; false if the sender was refused. */
  boolean sender(int code, String reply) {
    if (code == 250) {
      return true;
    }
    SMTPSendFailedException e =
        new SMTPSendFailedException(mail, code, reply, null, null, new Address[0], null);
    if (isInvalid(code)) {
      String from = mail.substring(mail.indexOf('<') + 1, Math.max(mail.indexOf('>'), 0));
      try {
        e.setNextException(
            new SMTPSenderFailedException(new InternetAddress(from), mail, code, reply));
      } catch (AddressException ignored) {
        // as Angus: the reply is still reported
      }
    }
    failure = e;
    return false;
  }

  /**
   * The reply to the RCPT TO of recipient {@code i}; false if it is no answer to RCPT at all (no
   * reply code Angus knows), which ends the transaction.
   */
  boolean recipient(int i, int code, String reply) {
    InternetAddress r = recipients[i];
    if (code / 100 == 2) {
      valid.add(r);
      return true;
    }
    if (code == 552 || (code >= 400 && code <= 499)) {
      validUnsent.add(r); // a full mailbox, a temporary failure: the address itself is fine
    } else if (code >= 500 && code <= 599) {
      invalid.add(r);
    } else {
      failure = new SMTPAddressFailedException(r, rcpts.get(i), code, reply);
      return false;
    }
    SMTPAddressFailedException refused =
        new SMTPAddressFailedException(r, rcpts.get(i), code, reply);
    if (recipientFailures == null) {
      recipientFailures = refused;
    } else {
      recipientFailures.setNextException(refused);
    }
    return true;
  }

  /** Angus' codes for an address the server calls invalid. */
  private static boolean isInvalid(int code) {
    return code == 550 || code == 553 || code == 503 || code == 551 || code == 501;
  }

  /**
   * Whether the message may follow the replies so far: with {@code sendpartial} to the accepted
   * recipients if there are any, without it only if every recipient was accepted.
   */
  boolean messageMayFollow() {
    return failure == null && (sendPartial ? !valid.isEmpty() : valid.size() == recipients.length);
  }

  /** Whether some recipients were refused although the message went to the others. */
  boolean partial() {
    return !invalid.isEmpty() || !validUnsent.isEmpty();
  }

  /** Why the message may not follow, as Angus reports it. */
  MessagingException refusal() {
    MessagingException e = failure;
    return e != null
        ? e
        : new SendFailedException(
            "Invalid Addresses", recipientFailures, null, unsent(), invalid());
  }

  /** The refused recipients' exceptions, chained; null if none was refused. */
  @Nullable MessagingException recipientFailures() {
    return recipientFailures;
  }

  Address[] valid() {
    return valid.toArray(new Address[0]);
  }

  Address[] validUnsent() {
    return validUnsent.toArray(new Address[0]);
  }

  /** Valid addresses that did not get the message, when the message as a whole failed. */
  Address[] unsent() {
    List<Address> all = new ArrayList<>(valid);
    all.addAll(validUnsent);
    return all.toArray(new Address[0]);
  }

  Address[] invalid() {
    return invalid.toArray(new Address[0]);
  }
}
