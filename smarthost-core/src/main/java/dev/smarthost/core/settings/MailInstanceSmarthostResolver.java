package dev.smarthost.core.settings;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostChange;
import dev.smarthost.SmarthostConfigurationException;
import dev.smarthost.SmarthostResolver;
import dev.smarthost.SmarthostSettings;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * "Use the Mail app instance": settings derived from a Mail instance of a {@link
 * MailInstanceDirectory}, following it when it moves.
 *
 * <ul>
 *   <li>{@link Mode#RELAY} (what the cluster's settings page does): the instance's host, port 25,
 *       no encryption, no credentials, no certificate check.
 *   <li>{@link Mode#SUBMISSION}: the instance's submission port with STARTTLS and the given
 *       credentials, certificate verified unless {@link Builder#verifyTls(boolean)} says otherwise.
 * </ul>
 *
 * <pre>{@code
 * SmarthostResolver mail = MailInstanceSmarthostResolver.builder(directory)
 *     .instance("mail1")            // or leave out when exactly one instance exists
 *     .build();
 * }</pre>
 */
public final class MailInstanceSmarthostResolver implements SmarthostResolver {
  /** The port of a Mail instance's relay (MTA) service. */
  public static final int RELAY_PORT = 25;

  /** How the application talks to the Mail instance. */
  public enum Mode {
    /** Relay through port 25 without encryption or credentials, as the cluster's UI configures. */
    RELAY,
    /** The submission port with STARTTLS and credentials. */
    SUBMISSION
  }

  private final MailInstanceDirectory directory;
  private final @Nullable String instanceId;
  private final Mode mode;
  private final @Nullable String username;
  private final @Nullable String password;
  private final boolean verifyTls;
  private final int relayPort;
  private final SettingsPublisher subscribers =
      new SettingsPublisher(MailInstanceSmarthostResolver.class);
  private final Object lock = new Object();
  private @Nullable AutoCloseable directorySubscription;
  private volatile @Nullable SmarthostSettings last;

  private MailInstanceSmarthostResolver(Builder b) {
    this.directory = b.directory;
    this.instanceId = b.instanceId;
    this.mode = b.mode;
    this.username = b.username;
    this.password = b.password;
    this.verifyTls = b.verifyTls;
    this.relayPort = b.relayPort;
  }

  /**
   * Starts configuring a resolver.
   *
   * @param directory where the Mail instances are listed
   * @return a new builder: the only instance, relay mode
   */
  public static Builder builder(MailInstanceDirectory directory) {
    return new Builder(directory);
  }

  /**
   * Returns the settings for the chosen instance as the directory lists it now.
   *
   * @return the settings; never empty
   * @throws SmarthostConfigurationException if the instance is not registered, or none or several
   *     are and none was chosen (the message lists the ids)
   */
  @Override
  public Optional<SmarthostSettings> resolve() {
    SmarthostSettings settings = derive(pick(directory.instances()));
    last = settings;
    return Optional.of(settings);
  }

  /**
   * Follows the directory: when the instance moves (or the directory changes otherwise), listeners
   * get the new settings; when it disappears, a failed change that keeps the last settings.
   */
  @Override
  public AutoCloseable subscribe(Consumer<SmarthostChange> listener) {
    AutoCloseable subscription = subscribers.subscribe(listener);
    synchronized (lock) {
      if (directorySubscription == null) {
        try {
          resolve();
        } catch (SmarthostConfigurationException e) {
          // reported to listeners by the first change
        }
        directorySubscription = directory.subscribe(this::directoryChanged);
      }
    }
    return () -> {
      subscription.close();
      synchronized (lock) {
        if (!subscribers.hasSubscribers() && directorySubscription != null) {
          directorySubscription.close();
          directorySubscription = null;
        }
      }
    };
  }

  private void directoryChanged(List<MailInstance> instances) {
    SmarthostSettings previous = last;
    try {
      SmarthostSettings now = derive(pick(instances));
      if (!now.equals(previous)) {
        last = now;
        subscribers.publish(
            SmarthostChange.updated(Optional.ofNullable(previous), Optional.of(now)));
      }
    } catch (SmarthostConfigurationException e) {
      subscribers.publish(SmarthostChange.failed(Optional.ofNullable(previous), e));
    }
  }

  private MailInstance pick(List<MailInstance> instances) {
    String ids = instances.stream().map(MailInstance::id).collect(Collectors.joining(", "));
    if (instanceId != null) {
      return instances.stream()
          .filter(i -> i.id().equals(instanceId))
          .findFirst()
          .orElseThrow(
              () ->
                  problem(
                      "Mail instance "
                          + instanceId
                          + " is not registered; registered: "
                          + (ids.isEmpty() ? "none" : ids)));
    }
    if (instances.size() == 1) {
      return instances.get(0);
    }
    throw problem(
        instances.isEmpty()
            ? "no Mail instance is registered"
            : "several Mail instances are registered (" + ids + "): choose one with instance(id)");
  }

  private SmarthostConfigurationException problem(String text) {
    return SmarthostConfigurationException.forSource(directory.toString(), text, null);
  }

  private SmarthostSettings derive(MailInstance instance) {
    SmarthostSettings.Builder b = SmarthostSettings.builder().host(instance.host());
    if (mode == Mode.RELAY) {
      return b.port(relayPort).encryption(Encryption.NONE).verifyTls(false).build();
    }
    b.port(instance.submissionPort()).encryption(Encryption.STARTTLS).verifyTls(verifyTls);
    if (username != null && password != null) {
      b.credentials(username, password);
    }
    return b.build();
  }

  @Override
  public String toString() {
    return "MailInstanceSmarthostResolver{"
        + (instanceId != null ? instanceId : "the only instance")
        + ", "
        + mode
        + ", "
        + directory
        + "}";
  }

  /** Configures a {@link MailInstanceSmarthostResolver}. */
  public static final class Builder {
    private final MailInstanceDirectory directory;
    private @Nullable String instanceId;
    private Mode mode = Mode.RELAY;
    private @Nullable String username;
    private @Nullable String password;
    private boolean verifyTls = true;
    private int relayPort = RELAY_PORT;

    private Builder(MailInstanceDirectory directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * Chooses the instance by module id (default: the only one registered).
     *
     * @param id for example {@code mail1}
     * @return this builder (for chaining)
     */
    public Builder instance(String id) {
      this.instanceId = Objects.requireNonNull(id, "id");
      return this;
    }

    /**
     * Sets how to talk to the instance (default {@link Mode#RELAY}).
     *
     * @param mode relay or submission
     * @return this builder (for chaining)
     */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * Sets the credentials for {@link Mode#SUBMISSION}.
     *
     * @param username the user name
     * @param password the password
     * @return this builder (for chaining)
     * @throws IllegalArgumentException as {@link SmarthostSettings.Builder#credentials} does
     */
    public Builder credentials(String username, String password) {
      SmarthostSettings.builder().credentials(username, password);
      this.username = username.isEmpty() ? null : username;
      this.password = password.isEmpty() ? null : password;
      return this;
    }

    /**
     * Sets whether {@link Mode#SUBMISSION} verifies the certificate (default true). The certificate
     * must then name the node address the instance announces.
     *
     * @param verifyTls false to encrypt without verifying
     * @return this builder (for chaining)
     */
    public Builder verifyTls(boolean verifyTls) {
      this.verifyTls = verifyTls;
      return this;
    }

    /**
     * Sets the port {@link Mode#RELAY} uses (default {@link #RELAY_PORT}, where the cluster's Mail
     * instances relay); for a test that must not depend on whatever listens on port 25.
     *
     * @param port 1 to 65535
     * @return this builder (for chaining)
     * @throws IllegalArgumentException if the port is out of range
     */
    public Builder relayPort(int port) {
      SmarthostSettings.builder().port(port); // the same check and message as every port
      this.relayPort = port;
      return this;
    }

    /**
     * Builds the resolver.
     *
     * @return the resolver
     * @throws IllegalStateException if {@link Mode#SUBMISSION} was chosen without credentials
     */
    public MailInstanceSmarthostResolver build() {
      if (mode == Mode.SUBMISSION && username == null) {
        throw new IllegalStateException("credentials: required for SUBMISSION mode");
      }
      return new MailInstanceSmarthostResolver(this);
    }
  }
}
