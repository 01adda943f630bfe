package dev.smarthost.testkit.assertj;

import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a {@link SmarthostServer}. */
public final class SmarthostServerAssert
    extends AbstractAssert<SmarthostServerAssert, SmarthostServer> {
  /** How long {@link #received(int)} waits for mail that is still on its way. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

  private Duration wait = DEFAULT_WAIT;

  SmarthostServerAssert(SmarthostServer server) {
    super(server, SmarthostServerAssert.class);
  }

  /**
   * Sets how long {@link #received(int)} waits (default 5 s).
   *
   * @param wait the longest wait
   * @return this assertion
   */
  public SmarthostServerAssert within(Duration wait) {
    this.wait = Objects.requireNonNull(wait, "wait");
    return this;
  }

  /**
   * Waits for {@code count} messages and checks that exactly that many arrived.
   *
   * @param count the expected number of messages
   * @return assertions on the received messages
   */
  public ReceivedMessagesAssert received(int count) {
    isNotNull();
    List<ReceivedMessage> got;
    try {
      got = actual.awaitMessages(count, wait);
    } catch (AssertionError e) {
      throw failure("%s", e.getMessage());
    }
    if (got.size() != count) {
      throw failure("expected exactly %d message(s) but %d arrived: %s", count, got.size(), got);
    }
    return new ReceivedMessagesAssert(got);
  }

  /**
   * Checks that no message has arrived (without waiting).
   *
   * @return this assertion
   */
  public SmarthostServerAssert receivedNothing() {
    isNotNull();
    List<ReceivedMessage> got = actual.receivedMessages();
    if (!got.isEmpty()) {
      throw failure("expected no message but %d arrived: %s", got.size(), got);
    }
    return this;
  }
}
