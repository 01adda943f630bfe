package dev.smarthost.core.outbox;

import dev.smarthost.SmarthostBusyException;

/**
 * The bounds of a file outbox: how many messages and bytes may be pending. A message takes its
 * share before it is written and gives it back when it is done (delivered, dead, or not written
 * after all). Thread-safe.
 */
final class OutboxQuota {
  private final int maxMessages;
  private final long maxBytes;
  private long bytes;
  private int count;

  OutboxQuota(int maxMessages, long maxBytes) {
    this.maxMessages = maxMessages;
    this.maxBytes = maxBytes;
  }

  /**
   * Takes a message's share.
   *
   * @throws SmarthostBusyException if the outbox is full; nothing is taken
   */
  synchronized void reserve(long size) {
    if (count >= maxMessages || bytes + size > maxBytes) {
      throw new SmarthostBusyException(
          "the outbox is full ("
              + count
              + " messages, "
              + bytes
              + " bytes; at most "
              + maxMessages
              + " and "
              + maxBytes
              + "); nothing was kept");
    }
    bytes += size;
    count++;
  }

  /** Counts a message found pending at open, over the bounds or not: it is kept either way. */
  synchronized void recovered(long size) {
    bytes += size;
    count++;
  }

  /** Gives a message's share back. */
  synchronized void release(long size) {
    bytes -= size;
    count--;
  }
}
