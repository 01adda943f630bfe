package dev.smarthost.it;

import static dev.smarthost.it.MailerTest.mailer;
import static dev.smarthost.it.MailerTest.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smarthost.Encryption;
import dev.smarthost.FailureKind;
import dev.smarthost.SmarthostSendException;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.check.TestMessage;
import dev.smarthost.core.check.ValidationResult;
import dev.smarthost.core.internal.SmarthostTransport;
import dev.smarthost.core.send.MailerListener;
import dev.smarthost.core.send.SendResult;
import dev.smarthost.core.send.SmarthostMailer;
import dev.smarthost.core.session.SmarthostSessionFactory;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Fault.Step;
import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.event.TransportAdapter;
import jakarta.mail.event.TransportEvent;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 22: the transaction goes out pipelined (RFC 2920) and the message with BDAT (RFC 3030)
 * where the server offers them, with the same outcomes as the command-by-command conversation.
 */
@Timeout(60)
class PipeliningTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static SmarthostServer.Builder starttls() {
    return SmarthostServer.builder().encryption(Encryption.STARTTLS).requireAuth("app", "pw");
  }

  /** One message through a session of ours; returns the transport's round trips for it. */
  private static int sendCounting(SmarthostServer server, SmtpOptions options, MimeMessage m)
      throws Exception {
    Session session = new SmarthostSessionFactory(options).session(server.settings());
    SmarthostTransport t = (SmarthostTransport) session.getTransport("smtp");
    t.connect();
    try {
      t.sendMessage(m, m.getAllRecipients());
      return t.trace().lastRoundTrips();
    } finally {
      t.close();
    }
  }

  @Test
  void aMessageIsOneRoundTripWithTheEnvelopeAndTheBodyInOneWrite() throws Exception {
    try (SmarthostServer server = starttls().start()) {
      int roundTrips = sendCounting(server, server.smtpOptions(), message("one trip"));
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.pipelined()).isTrue();
      assertThat(r.chunked()).isTrue();
      assertThat(r.encrypted()).isTrue();
      assertThat(r.authenticatedUser()).contains("app");
      assertThat(r.body()).isEqualTo("body of one trip\n");
      assertThat(roundTrips).isEqualTo(1);
    }
  }

  @Test
  void theMailerPipelinesAndReportsMixedRecipientResultsOneByOne() {
    try (SmarthostServer server = starttls().start();
        SmarthostMailer mailer = mailer(server).build()) {
      server.fault(Fault.rejectRecipient("gone@example.org", 550, "5.1.1 No such user"));
      SendResult result =
          mailer.send(message("mixed", "a@example.org", "gone@example.org", "b@example.org"));
      assertThat(result.acceptedRecipients()).containsExactly("a@example.org", "b@example.org");
      assertThat(result.rejectedRecipients())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.address()).isEqualTo("gone@example.org");
                assertThat(r.kind()).isEqualTo(FailureKind.RECIPIENT_REJECTED);
                assertThat(r.replyCode()).hasValue(550);
              });
      assertThat(result.partial()).isTrue();
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.recipients()).containsExactly("a@example.org", "b@example.org");
      assertThat(r.pipelined()).isTrue();
      assertThat(r.chunked()).isTrue();
    }
  }

  @Test
  void withDataInsteadOfBdatTheMixedResultsAreTheSame() {
    try (SmarthostServer server = starttls().chunking(false).start();
        SmarthostMailer mailer = mailer(server).build()) {
      server.fault(Fault.rejectRecipient("gone@example.org", 550, "5.1.1 No such user"));
      SendResult result =
          mailer.send(message("mixed data", "a@example.org", "gone@example.org", "b@example.org"));
      assertThat(result.acceptedRecipients()).containsExactly("a@example.org", "b@example.org");
      assertThat(result.rejectedRecipients())
          .extracting(SendResult.RejectedRecipient::address)
          .containsExactly("gone@example.org");
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.pipelined()).isTrue();
      assertThat(r.chunked()).isFalse();
      assertThat(r.body()).isEqualTo("body of mixed data\n");
    }
  }

  @Test
  void aRefusedSenderOrNoAcceptedRecipientEndsCleanlyAndTheConnectionIsKept() {
    AtomicInteger opened = new AtomicInteger();
    MailerListener counting =
        new MailerListener() {
          @Override
          public void connectionOpened(dev.smarthost.SmarthostSettings settings) {
            opened.incrementAndGet();
          }
        };
    for (boolean chunking : new boolean[] {true, false}) {
      opened.set(0);
      try (SmarthostServer server = starttls().chunking(chunking).start();
          SmarthostMailer mailer = mailer(server).listener(counting).build()) {
        server.fault(Fault.reject(Step.MAIL, 550, "5.7.1 Sender not allowed").times(1));
        assertThatThrownBy(() -> mailer.send(message("refused sender")))
            .isInstanceOfSatisfying(
                SmarthostSendException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(FailureKind.SENDER_REJECTED);
                  assertThat(e.replyCode()).hasValue(550);
                });
        server.fault(Fault.rejectRecipient("x@example.org", 550, "5.1.1 No such user"));
        server.fault(Fault.rejectRecipient("y@example.org", 550, "5.1.1 No such user"));
        assertThatThrownBy(() -> mailer.send(message("nobody", "x@example.org", "y@example.org")))
            .isInstanceOfSatisfying(
                SmarthostSendException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(FailureKind.RECIPIENT_REJECTED);
                  assertThat(e.rejectedRecipients())
                      .containsExactly("x@example.org", "y@example.org");
                });
        mailer.send(message("after the refusals"));
        assertThat(server.awaitMessages(1, WAIT))
            .extracting(m -> m.subject().orElseThrow())
            .containsExactly("after the refusals");
        assertThat(opened.get()).as("chunking=%s: one connection for all three", chunking).isOne();
      }
    }
  }

  @Test
  void aServerWithoutPipeliningOrChunkingGetsTheLockstepConversation() throws Exception {
    try (SmarthostServer server = starttls().pipelining(false).chunking(false).start()) {
      // MAIL, RCPT, DATA, the message: a reply each (the server's SIZE limit makes our own
      // transaction send it, to declare SIZE=; lockstep, as the server offers no PIPELINING)
      assertThat(sendCounting(server, server.smtpOptions(), message("lockstep"))).isEqualTo(4);
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.pipelined()).isFalse();
      assertThat(r.chunked()).isFalse();
      assertThat(r.body()).isEqualTo("body of lockstep\n");
      assertThat(r.mailParameters()).anySatisfy(p -> assertThat(p).startsWith("SIZE="));
    }
  }

  @Test
  void chunkingWithoutPipeliningWaitsForEachReplyButSkipsData() throws Exception {
    try (SmarthostServer server = starttls().pipelining(false).start()) {
      MimeMessage m = message("bdat only", "a@example.org", "b@example.org");
      // MAIL, two RCPT, BDAT LAST: one reply each
      assertThat(sendCounting(server, server.smtpOptions(), m)).isEqualTo(4);
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.pipelined()).isFalse();
      assertThat(r.chunked()).isTrue();
    }
  }

  @Test
  void theOptionsSwitchBothOffForAServerThatMishandlesThem() throws Exception {
    try (SmarthostServer server = starttls().start()) {
      SmtpOptions off = server.smtpOptions().toBuilder().pipelining(false).chunking(false).build();
      assertThat(sendCounting(server, off, message("switched off"))).isEqualTo(4); // lockstep
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.pipelined()).isFalse();
      assertThat(r.chunked()).isFalse();
      SmtpOptions dataOnly = server.smtpOptions().toBuilder().chunking(false).build();
      // MAIL + RCPT + DATA in one write, then the body
      assertThat(sendCounting(server, dataOnly, message("data only"))).isEqualTo(2);
      assertThat(server.awaitMessages(2, WAIT).get(1).chunked()).isFalse();
    }
  }

  @Test
  void linesStartingWithADotArriveUnchangedWithBdatAndWithData() throws Exception {
    String text = "first line\n.leading dot\n.\n..two dots\nlast line";
    for (boolean chunking : new boolean[] {true, false}) {
      try (SmarthostServer server = starttls().chunking(chunking).start()) {
        MimeMessage m = message("dots");
        m.setText(text, "US-ASCII");
        sendCounting(server, server.smtpOptions(), m);
        ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
        assertThat(r.chunked()).isEqualTo(chunking);
        assertThat(r.body()).as("chunking=%s", chunking).isEqualTo(text + "\n");
      }
    }
  }

  @Test
  void aMessageLargerThanAChunkGoesInSeveralChunksAfterTheEnvelopeWasAccepted() throws Exception {
    byte[] pdf = new byte[300_000];
    new Random(22).nextBytes(pdf);
    MimeMessage m = message("large");
    MimeBodyPart text = new MimeBodyPart();
    text.setText("see attachment\n.dot line\n", "UTF-8");
    MimeBodyPart file = new MimeBodyPart();
    file.setContent(pdf, "application/pdf");
    file.setFileName("report.pdf");
    m.setContent(new MimeMultipart(text, file));
    m.saveChanges();
    try (SmarthostServer server = starttls().start()) {
      // about 400 KiB in base64: the envelope first, then two 256 KiB chunks pipelined after it
      assertThat(sendCounting(server, server.smtpOptions(), m)).isEqualTo(2);
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.chunked()).isTrue();
      assertThat(r.attachments())
          .singleElement()
          .satisfies(a -> assertThat(a.content()).isEqualTo(pdf));
      assertThat(r.body()).contains("\n.dot line\n");
    }
  }

  @Test
  void aMessageThatFailsToWriteItselfMidwayIsNeverHalfSent() throws Exception {
    MimeMessage m = message("breaks midway");
    MimeBodyPart file = new MimeBodyPart();
    file.setDataHandler(
        new jakarta.activation.DataHandler(
            new jakarta.activation.DataSource() {
              @Override
              public java.io.InputStream getInputStream() {
                return new java.io.InputStream() {
                  private int left = 600_000;

                  @Override
                  public int read() throws java.io.IOException {
                    if (left <= 0) {
                      throw new java.io.IOException("the attachment's source broke");
                    }
                    left--;
                    return 'x';
                  }
                };
              }

              @Override
              public java.io.OutputStream getOutputStream() {
                throw new UnsupportedOperationException();
              }

              @Override
              public String getContentType() {
                return "application/octet-stream";
              }

              @Override
              public String getName() {
                return "broken.bin";
              }
            }));
    // a declared encoding: saving the message does not read the source, sending does
    file.setHeader("Content-Transfer-Encoding", "base64");
    m.setContent(new MimeMultipart(file));
    m.saveChanges();
    // a server with a size limit: the message is written once, before anything is sent, to know
    // its size; a source that breaks fails there and the connection stays as it was
    try (SmarthostServer server = starttls().start()) {
      Session session =
          new SmarthostSessionFactory(server.smtpOptions()).session(server.settings());
      SmarthostTransport t = (SmarthostTransport) session.getTransport("smtp");
      t.connect();
      try {
        assertThatThrownBy(() -> t.sendMessage(m, m.getAllRecipients()))
            .hasStackTraceContaining("the attachment's source broke");
        assertThat(t.isConnectedWithoutNoop()).as("nothing was sent: still usable").isTrue();
        MimeMessage next = message("on the same connection");
        t.sendMessage(next, next.getAllRecipients());
      } finally {
        t.close();
      }
      assertThat(server.awaitMessages(1, WAIT))
          .extracting(r -> r.subject().orElseThrow())
          .containsExactly("on the same connection");
    }
    // without a size limit (SIZE 0) the message streams: a source that breaks midway
    try (SmarthostServer server = starttls().maxMessageSize(0).start()) {
      Session session =
          new SmarthostSessionFactory(server.smtpOptions()).session(server.settings());
      SmarthostTransport t = (SmarthostTransport) session.getTransport("smtp");
      t.connect();
      // the envelope was accepted and a first chunk sent before the source broke
      assertThatThrownBy(() -> t.sendMessage(m, m.getAllRecipients()))
          .hasStackTraceContaining("the attachment's source broke");
      assertThat(t.isConnectedWithoutNoop())
          .as("closed: the server holds a partial message")
          .isFalse();
      MimeMessage next = message("after the broken one");
      t.connect();
      try {
        t.sendMessage(next, next.getAllRecipients());
      } finally {
        t.close();
      }
      assertThat(server.awaitMessages(1, WAIT))
          .extracting(r -> r.subject().orElseThrow())
          .containsExactly("after the broken one");
    }
  }

  @Test
  void aConnectionDroppedMidGroupIsRetriedOnANewOneAndDeliveredOnce() {
    for (Step step : new Step[] {Step.MAIL, Step.RCPT, Step.DATA}) {
      try (SmarthostServer server = starttls().start();
          SmarthostMailer mailer = mailer(server).build()) {
        server.fault(Fault.drop(step).times(1));
        assertThat(mailer.send(message("after drop at " + step)).attempts()).isEqualTo(2);
        List<ReceivedMessage> received = server.awaitMessages(1, WAIT);
        assertThat(received).singleElement().satisfies(r -> assertThat(r.pipelined()).isTrue());
      }
    }
  }

  @Test
  void aDroppedConnectionWithoutRetriesIsReportedAndNothingIsStored() throws Exception {
    try (SmarthostServer server = starttls().start();
        SmarthostMailer mailer = mailer(server).maxAttempts(1).build()) {
      server.fault(Fault.drop(Step.RCPT).times(1));
      assertThatThrownBy(() -> mailer.send(message("lost", "a@example.org", "b@example.org")))
          .isInstanceOfSatisfying(
              SmarthostSendException.class, e -> assertThat(e.kind().isTemporary()).isTrue());
      Thread.sleep(200);
      assertThat(server.receivedMessages()).isEmpty();
    }
  }

  @Test
  void aServerThatStopsAnsweringAPipelinedMessageGetsTheSwitchInTheHint() {
    for (boolean pipelining : new boolean[] {true, false}) {
      try (SmarthostServer server = starttls().start();
          SmarthostMailer mailer =
              SmarthostMailer.builder(() -> java.util.Optional.of(server.settings()))
                  .options(
                      server.smtpOptions().toBuilder()
                          .pipelining(pipelining)
                          .readTimeout(Duration.ofSeconds(1))
                          .build())
                  .maxAttempts(1)
                  .build()) {
        server.fault(Fault.stall(Step.RCPT));
        assertThatThrownBy(() -> mailer.send(message("stalled")))
            .isInstanceOfSatisfying(
                SmarthostSendException.class,
                e -> {
                  assertThat(e.kind()).isEqualTo(FailureKind.READ_TIMEOUT);
                  if (pipelining) {
                    assertThat(e.hint()).contains("pipelining(false)");
                  } else {
                    assertThat(e.hint()).doesNotContain("pipelining");
                  }
                });
      }
    }
  }

  @Test
  void theValidatorsTestMessageTakesTheSamePath() {
    try (SmarthostServer server = starttls().start()) {
      ValidationResult result =
          SmtpConnectionValidator.create(server.smtpOptions())
              .validate(server.settings(), TestMessage.of("app@example.org", "admin@example.org"));
      assertThat(result.ok()).isTrue();
      assertThat(result.testMessageSent()).isTrue();
      ReceivedMessage r = server.awaitMessages(1, WAIT).get(0);
      assertThat(r.pipelined()).isTrue();
      assertThat(r.chunked()).isTrue();
    }
  }

  @Test
  void withoutSendPartialARefusedRecipientStopsTheWholeMessageAsAngusDoes() throws Exception {
    try (SmarthostServer server = starttls().start()) {
      server.fault(Fault.rejectRecipient("gone@example.org", 550, "5.1.1 No such user"));
      Session session =
          new SmarthostSessionFactory(server.smtpOptions()).session(server.settings());
      // a session of ours has no sendpartial: Angus' default, all recipients or none
      MimeMessage m = message("all or nothing", "a@example.org", "gone@example.org");
      SmarthostTransport t = (SmarthostTransport) session.getTransport("smtp");
      CountDownLatch notDelivered = new CountDownLatch(1);
      t.addTransportListener(
          new TransportAdapter() {
            @Override
            public void messageNotDelivered(TransportEvent e) {
              notDelivered.countDown();
            }
          });
      t.connect();
      try {
        assertThatThrownBy(() -> t.sendMessage(m, m.getAllRecipients()))
            .isInstanceOfSatisfying(
                SendFailedException.class,
                e -> {
                  assertThat(e.getInvalidAddresses())
                      .extracting(Object::toString)
                      .containsExactly("gone@example.org");
                  assertThat(e.getValidUnsentAddresses())
                      .extracting(Object::toString)
                      .containsExactly("a@example.org");
                });
        assertThat(notDelivered.await(5, TimeUnit.SECONDS)).isTrue();
        // the envelope was pipelined, the body held back: nothing reached anyone
        assertThat(t.trace().lastPipelined()).isTrue();
        assertThat(server.receivedMessages()).isEmpty();
        MimeMessage next = message("next on the same connection");
        t.sendMessage(next, next.getAllRecipients());
      } finally {
        t.close();
      }
      assertThat(server.awaitMessages(1, WAIT).get(0).subject())
          .contains("next on the same connection");
    }
  }

  @Test
  void transportListenersHearEveryPipelinedDelivery() throws Exception {
    try (SmarthostServer server = starttls().start()) {
      Session session =
          new SmarthostSessionFactory(server.smtpOptions()).session(server.settings());
      SmarthostTransport t = (SmarthostTransport) session.getTransport("smtp");
      CountDownLatch delivered = new CountDownLatch(3);
      t.addTransportListener(
          new TransportAdapter() {
            @Override
            public void messageDelivered(TransportEvent e) {
              delivered.countDown();
            }
          });
      t.connect();
      try {
        for (int i = 0; i < 3; i++) {
          MimeMessage m = message("listened " + i);
          t.sendMessage(m, m.getAllRecipients());
        }
      } finally {
        t.close();
      }
      assertThat(delivered.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(server.awaitMessages(3, WAIT)).allMatch(ReceivedMessage::pipelined);
    }
  }
}
