package dev.smarthost.core.internal;

import org.jspecify.annotations.Nullable;

/** A stored outbox entry that cannot be read back: it is dead-lettered at once, never sent. */
public final class UnreadableEntryException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param why what is wrong with the entry
   * @param cause the failure that revealed it, or null
   */
  public UnreadableEntryException(String why, @Nullable Throwable cause) {
    super("unreadable outbox entry: " + why, cause);
  }
}
