package dev.smarthost.testkit.assertj;

import dev.smarthost.testkit.ReceivedMessage;
import java.util.List;
import org.assertj.core.api.AbstractAssert;

/** Assertions on the messages a server received, in arrival order. */
public final class ReceivedMessagesAssert
    extends AbstractAssert<ReceivedMessagesAssert, List<ReceivedMessage>> {

  ReceivedMessagesAssert(List<ReceivedMessage> messages) {
    super(messages, ReceivedMessagesAssert.class);
  }

  /**
   * Moves on to one message.
   *
   * @param index 0 for the first message that arrived
   * @return assertions on that message
   */
  public ReceivedMessageAssert message(int index) {
    if (index < 0 || index >= actual.size()) {
      throw failure("no message %d: %d arrived: %s", index, actual.size(), actual);
    }
    return new ReceivedMessageAssert(actual.get(index));
  }

  /**
   * Checks that every message was sent over TLS.
   *
   * @return this assertion
   */
  public ReceivedMessagesAssert allEncrypted() {
    for (ReceivedMessage m : actual) {
      if (!m.encrypted()) {
        throw failure("expected every message to be encrypted but this was not: %s", m);
      }
    }
    return this;
  }
}
