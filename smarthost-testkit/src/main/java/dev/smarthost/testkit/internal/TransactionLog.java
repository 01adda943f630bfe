package dev.smarthost.testkit.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** The messages the front accepted, in order, with a bounded wait for more. */
public final class TransactionLog {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final List<Transaction> transactions = new ArrayList<>();

  public void add(Transaction transaction) {
    lock.lock();
    try {
      transactions.add(transaction);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits up to {@code timeout} for {@code count}; returns what arrived either way. */
  public List<Transaction> await(int count, Duration timeout) {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (transactions.size() < count && remaining > 0) {
        remaining = arrived.awaitNanos(remaining);
      }
      return List.copyOf(transactions);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.copyOf(transactions);
    } finally {
      lock.unlock();
    }
  }

  public List<Transaction> snapshot() {
    return await(0, Duration.ZERO);
  }

  public void clear() {
    lock.lock();
    try {
      transactions.clear();
    } finally {
      lock.unlock();
    }
  }
}
