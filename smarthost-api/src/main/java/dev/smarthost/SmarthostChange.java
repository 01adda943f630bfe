package dev.smarthost;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link SmarthostResolver} tells its subscribers: either the settings changed, or the
 * source turned invalid and the resolver keeps the settings it had.
 */
public final class SmarthostChange {
  private final @Nullable SmarthostSettings previous;
  private final @Nullable SmarthostSettings current;
  private final @Nullable SmarthostConfigurationException error;

  private SmarthostChange(
      @Nullable SmarthostSettings previous,
      @Nullable SmarthostSettings current,
      @Nullable SmarthostConfigurationException error) {
    this.previous = previous;
    this.current = current;
    this.error = error;
  }

  /**
   * The settings changed.
   *
   * @param previous the settings before, empty if e-mail was off
   * @param current the settings now, empty if e-mail is now off
   * @return the change
   */
  public static SmarthostChange updated(
      Optional<SmarthostSettings> previous, Optional<SmarthostSettings> current) {
    return new SmarthostChange(previous.orElse(null), current.orElse(null), null);
  }

  /**
   * The source turned invalid; the resolver keeps answering with {@code kept}.
   *
   * @param kept the last good settings, still in force
   * @param error what is wrong with the source
   * @return the change
   */
  public static SmarthostChange failed(
      Optional<SmarthostSettings> kept, SmarthostConfigurationException error) {
    SmarthostSettings k = kept.orElse(null);
    return new SmarthostChange(k, k, Objects.requireNonNull(error, "error"));
  }

  /**
   * Returns the settings before the change.
   *
   * @return the previous settings, empty if e-mail was off
   */
  public Optional<SmarthostSettings> previous() {
    return Optional.ofNullable(previous);
  }

  /**
   * Returns the settings in force after the change.
   *
   * @return the current settings, empty if e-mail is off
   */
  public Optional<SmarthostSettings> current() {
    return Optional.ofNullable(current);
  }

  /**
   * Returns why the source was rejected, if it was.
   *
   * @return the error, or empty for a successful update
   */
  public Optional<SmarthostConfigurationException> error() {
    return Optional.ofNullable(error);
  }

  /**
   * Returns whether this change reports a rejected source rather than new settings.
   *
   * @return true if {@link #error()} is present
   */
  public boolean isFailure() {
    return error != null;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SmarthostChange c
        && Objects.equals(previous, c.previous)
        && Objects.equals(current, c.current)
        && Objects.equals(error, c.error);
  }

  @Override
  public int hashCode() {
    return Objects.hash(previous, current, error);
  }

  @Override
  public String toString() {
    return error != null
        ? "SmarthostChange{failed, kept=" + current + ", error=" + error.getMessage() + "}"
        : "SmarthostChange{previous=" + previous + ", current=" + current + "}";
  }
}
