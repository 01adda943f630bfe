package dev.smarthost.testkit.assertj;

import dev.smarthost.testkit.ReceivedMessage;
import dev.smarthost.testkit.SmarthostServer;

/** Entry point of the testkit's AssertJ assertions. */
public final class SmarthostAssertions {
  private SmarthostAssertions() {}

  /**
   * Starts assertions on what a server received.
   *
   * @param server the server
   * @return the assertion
   */
  public static SmarthostServerAssert assertThat(SmarthostServer server) {
    return new SmarthostServerAssert(server);
  }

  /**
   * Starts assertions on one received message.
   *
   * @param message the message
   * @return the assertion
   */
  public static ReceivedMessageAssert assertThat(ReceivedMessage message) {
    return new ReceivedMessageAssert(message);
  }
}
