package dev.smarthost.core.settings;

import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostSettings;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * A Mail server instance running in the cluster, as it announces itself: where it listens and for
 * which domain. Immutable; build one with {@link #builder(String)}.
 */
public final class MailInstance {
  /** The submission port a Mail instance announces when it names none. */
  public static final int DEFAULT_SUBMISSION_PORT = 10587;

  private final String id;
  private final String host;
  private final int submissionPort;
  private final @Nullable String node;
  private final @Nullable String mailHostname;
  private final @Nullable String userDomain;

  private MailInstance(Builder b) {
    this.id = b.id;
    this.host = Objects.requireNonNull(b.host);
    this.submissionPort = b.submissionPort;
    this.node = b.node;
    this.mailHostname = b.mailHostname;
    this.userDomain = b.userDomain;
  }

  /**
   * Reads an instance from its record in the cluster's format: fields {@code host} (required),
   * {@code port}, {@code node}, {@code mail_hostname} and {@code user_domain}, as the cluster
   * writes them to its env file and to Redis.
   *
   * @param id the module id, for example {@code mail1}
   * @param fields the record's fields
   * @param error makes the exception for a field name and what is wrong with it, so that each
   *     source names its own line or key
   * @return the instance
   * @throws SmarthostConfigurationException made by {@code error}, for the first invalid field
   */
  public static MailInstance fromRecord(
      String id,
      Map<String, String> fields,
      BiFunction<String, String, SmarthostConfigurationException> error) {
    return MailInstanceFields.fromFields(id, fields, error);
  }

  /**
   * Starts building an instance.
   *
   * @param id the module id, e.g. {@code mail1}
   * @return a new builder
   * @throws IllegalArgumentException if the id is empty or contains spaces, slashes or control
   *     characters
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Returns the module id.
   *
   * @return for example {@code mail1}
   */
  public String id() {
    return id;
  }

  /**
   * Returns the address of the node the instance runs on, normalized like {@link
   * SmarthostSettings#host()}.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * Returns the port of its submission service (STARTTLS + AUTH).
   *
   * @return for example 10587
   */
  public int submissionPort() {
    return submissionPort;
  }

  /**
   * Returns the cluster node id.
   *
   * @return the node, if announced
   */
  public Optional<String> node() {
    return Optional.ofNullable(node);
  }

  /**
   * Returns the public host name of the mail server.
   *
   * @return for example {@code mail.example.org}, if announced
   */
  public Optional<String> mailHostname() {
    return Optional.ofNullable(mailHostname);
  }

  /**
   * Returns the domain of its users.
   *
   * @return for example {@code example.org}, if announced
   */
  public Optional<String> userDomain() {
    return Optional.ofNullable(userDomain);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof MailInstance m)) {
      return false;
    }
    return id.equals(m.id)
        && host.equals(m.host)
        && submissionPort == m.submissionPort
        && Objects.equals(node, m.node)
        && Objects.equals(mailHostname, m.mailHostname)
        && Objects.equals(userDomain, m.userDomain);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, host, submissionPort, node, mailHostname, userDomain);
  }

  @Override
  public String toString() {
    return "MailInstance{"
        + id
        + " at "
        + host
        + ", submission port "
        + submissionPort
        + (mailHostname != null ? ", " + mailHostname : "")
        + "}";
  }

  /** Builds a {@link MailInstance}. */
  public static final class Builder {
    private final String id;
    private @Nullable String host;
    private int submissionPort = DEFAULT_SUBMISSION_PORT;
    private @Nullable String node;
    private @Nullable String mailHostname;
    private @Nullable String userDomain;

    private Builder(String id) {
      if (id.isEmpty()
          || id.chars().anyMatch(c -> c <= ' ' || c == '/' || Character.isISOControl(c))) {
        throw new IllegalArgumentException(
            "id: must be a non-empty name without spaces or slashes, but was '" + id + "'");
      }
      this.id = id;
    }

    /**
     * Sets the node address.
     *
     * @param host a DNS name, IPv4 or IPv6 address
     * @return this builder (for chaining)
     * @throws IllegalArgumentException naming {@code host} if it is invalid
     */
    public Builder host(String host) {
      this.host = SmarthostSettings.normalizeHost(host);
      return this;
    }

    /**
     * Sets the submission port (default 10587).
     *
     * @param port 1–65535
     * @return this builder (for chaining)
     * @throws IllegalArgumentException naming {@code port} if it is out of range
     */
    public Builder submissionPort(int port) {
      SmarthostSettings.builder().port(port);
      this.submissionPort = port;
      return this;
    }

    /**
     * Sets the cluster node id.
     *
     * @param node the node
     * @return this builder (for chaining)
     */
    public Builder node(String node) {
      this.node = node.isEmpty() ? null : node;
      return this;
    }

    /**
     * Sets the public host name of the mail server.
     *
     * @param mailHostname the host name
     * @return this builder (for chaining)
     */
    public Builder mailHostname(String mailHostname) {
      this.mailHostname = mailHostname.isEmpty() ? null : mailHostname;
      return this;
    }

    /**
     * Sets the users' domain.
     *
     * @param userDomain the domain
     * @return this builder (for chaining)
     */
    public Builder userDomain(String userDomain) {
      this.userDomain = userDomain.isEmpty() ? null : userDomain;
      return this;
    }

    /**
     * Builds the instance.
     *
     * @return the instance
     * @throws IllegalStateException if no host was set
     */
    public MailInstance build() {
      if (host == null) {
        throw new IllegalStateException("host: required");
      }
      return new MailInstance(this);
    }
  }
}
