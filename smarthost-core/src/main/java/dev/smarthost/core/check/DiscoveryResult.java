package dev.smarthost.core.check;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.SmtpFailure;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link SmtpConnectionValidator#discover} found: each port with the encryption it answered
 * to, and the most secure configuration that works. Contains no credentials in its {@code
 * toString}.
 */
public final class DiscoveryResult {
  private final @Nullable SmarthostSettings recommended;
  private final List<Candidate> candidates;
  private final Duration total;

  DiscoveryResult(
      @Nullable SmarthostSettings recommended, List<Candidate> candidates, Duration total) {
    this.recommended = recommended;
    this.candidates = List.copyOf(candidates);
    this.total = total;
  }

  /**
   * Returns the most secure configuration that worked: implicit TLS or STARTTLS with a verified
   * certificate before clear text, and never clear text with credentials.
   *
   * @return settings with the host, port, encryption and credentials given to discover, or empty if
   *     no candidate worked
   */
  public Optional<SmarthostSettings> recommended() {
    return Optional.ofNullable(recommended);
  }

  /**
   * Returns one entry per port and encryption tried, in the order of the ports given.
   *
   * @return the candidates
   */
  public List<Candidate> candidates() {
    return candidates;
  }

  /**
   * Returns how long the discovery took.
   *
   * @return at most about the validator's deadline
   */
  public Duration total() {
    return total;
  }

  @Override
  public String toString() {
    return "DiscoveryResult{recommended="
        + (recommended == null ? "none" : recommended.authority() + " " + recommended.encryption())
        + ", candidates="
        + candidates
        + "}";
  }

  /** One port tried with one encryption. */
  public static final class Candidate {
    private final int port;
    private final Encryption encryption;
    private final boolean authenticated;
    private final @Nullable SmtpFailure failure;
    private final Duration duration;

    Candidate(
        int port,
        Encryption encryption,
        boolean authenticated,
        @Nullable SmtpFailure failure,
        Duration duration) {
      this.port = port;
      this.encryption = Objects.requireNonNull(encryption);
      this.authenticated = authenticated;
      this.failure = failure;
      this.duration = duration;
    }

    /**
     * Returns the port.
     *
     * @return 1–65535
     */
    public int port() {
      return port;
    }

    /**
     * Returns the encryption tried (always with certificate verification).
     *
     * @return the encryption
     */
    public Encryption encryption() {
      return encryption;
    }

    /**
     * Returns whether the check passed.
     *
     * @return true if there is no {@link #failure()}
     */
    public boolean ok() {
      return failure == null;
    }

    /**
     * Returns whether the check logged in with the credentials given. Discovery never sends
     * credentials in clear text: a {@link Encryption#NONE} candidate is checked without them.
     *
     * @return true if credentials were given and sent over TLS
     */
    public boolean authenticated() {
      return authenticated;
    }

    /**
     * Returns why this candidate failed.
     *
     * @return the failure with its hint, or empty if it worked
     */
    public Optional<SmtpFailure> failure() {
      return Optional.ofNullable(failure);
    }

    /**
     * Returns how long the check of this candidate took.
     *
     * @return the duration
     */
    public Duration duration() {
      return duration;
    }

    @Override
    public String toString() {
      return port
          + "/"
          + encryption.configValue()
          + (failure == null ? " ok" : " " + failure.kind())
          + " ("
          + duration.toMillis()
          + " ms)";
    }
  }
}
