package dev.smarthost.core.send;

import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A message as an outbox keeps it: the bytes Angus would put on the wire, and the envelope's
 * recipients (Bcc too, which the bytes no longer name).
 */
@SuppressWarnings("ArrayRecordComponent") // handed from the mailer to the outbox, never compared
record StoredMessage(byte[] bytes, List<String> recipients) {
  /**
   * Writes a message; an unsaved one gets its headers completed ({@code Message-ID} too), a parsed
   * one keeps them.
   *
   * @throws IllegalArgumentException if it has no recipients or cannot be written
   */
  static StoredMessage of(MimeMessage message) {
    List<String> recipients = new ArrayList<>();
    try {
      Address[] all = message.getAllRecipients();
      if (all == null || all.length == 0) {
        throw new IllegalArgumentException("message: has no recipients");
      }
      for (Address a : all) {
        recipients.add(a instanceof InternetAddress ia ? ia.getAddress() : a.toString());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      // as Angus puts it on the wire: the envelope carries Bcc, the header must not
      message.writeTo(out, new String[] {"Bcc", "Content-Length"});
      return new StoredMessage(out.toByteArray(), recipients);
    } catch (MessagingException | IOException e) {
      throw new IllegalArgumentException("message: cannot be written: " + e.getMessage(), e);
    }
  }
}
