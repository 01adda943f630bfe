package dev.smarthost.core.send;

import dev.smarthost.SmarthostBusyException;
import dev.smarthost.core.internal.DaemonPools;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The mailer's {@code sendAsync}: a bounded queue in front of one thread per connection. A full
 * queue refuses at once; a message still queued when the mailer closes fails explicitly, never
 * silently.
 */
final class SendQueue {
  private final ThreadPoolExecutor threads;
  private final int capacity;
  private final Function<MimeMessage, SendResult> deliver;

  SendQueue(int parallel, int capacity, Function<MimeMessage, SendResult> deliver) {
    this.capacity = capacity;
    this.deliver = deliver;
    this.threads = DaemonPools.queued("smarthost-mailer", parallel, capacity);
  }

  /** Queues a message; the future fails at once if the queue is full or the mailer closed. */
  CompletableFuture<SendResult> submit(MimeMessage message) {
    Task task = new Task(message);
    try {
      threads.execute(task);
    } catch (RejectedExecutionException e) {
      task.future.completeExceptionally(
          threads.isShutdown()
              ? new IllegalStateException("the mailer is closed")
              : new SmarthostBusyException(
                  "the mailer's queue of " + capacity + " messages is full; nothing was sent"));
    }
    return task.future;
  }

  /** Takes no more messages; queued and running ones go on. */
  void shutdown() {
    threads.shutdown();
  }

  /**
   * Waits for queued and running sends; past {@code wait} the queued ones fail with {@link
   * SmarthostBusyException} and the running ones are interrupted.
   *
   * @return false if it had to stop them
   */
  boolean awaitStopped(Duration wait) throws InterruptedException {
    if (threads.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
      return true;
    }
    List<Runnable> never = threads.shutdownNow();
    for (Runnable r : never) {
      ((Task) r) // only Tasks are submitted to this executor
          .future.completeExceptionally(
              new SmarthostBusyException(
                  "the mailer was closed before this message was sent; nothing was sent"));
    }
    return false;
  }

  /** Waits a little for the interrupted sends to end. */
  void awaitInterrupted() throws InterruptedException {
    threads.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Interrupts every send under way at once. */
  void stopNow() {
    threads.shutdownNow();
  }

  /** One queued message and its future. */
  private final class Task implements Runnable {
    final MimeMessage message;
    final CompletableFuture<SendResult> future = new CompletableFuture<>();

    Task(MimeMessage message) {
      this.message = message;
    }

    @Override
    public void run() {
      try {
        future.complete(deliver.apply(message));
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }
  }
}
