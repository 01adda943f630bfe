package dev.smarthost.testkit.junit5;

import dev.smarthost.Encryption;
import dev.smarthost.SmarthostSettings;
import dev.smarthost.testkit.SmarthostServer;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs a {@link SmarthostServer} for tests and injects it, or its {@link SmarthostSettings}, as a
 * parameter. The server lives in JUnit's extension store, which closes it after the test (or the
 * class) on every supported JUnit Jupiter version: 5.9 or newer, 6.x included. On an older JUnit
 * the extension fails the test at once with a message naming the version it needs, instead of
 * leaving servers open.
 *
 * <p>Either annotate the class with {@link SmarthostTest @SmarthostTest} (one server per test), or
 * register a configured instance; registered on a {@code static} field it can keep one server for
 * the whole class, reset (messages and faults cleared) before each test:
 *
 * <pre>{@code
 * @RegisterExtension
 * static SmarthostExtension smarthost =
 *     SmarthostExtension.builder().encryption(Encryption.TLS).perClass().build();
 * }</pre>
 */
public final class SmarthostExtension
    implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SmarthostExtension.class);
  private static final String SERVER = "server";

  private final @Nullable Builder configured;

  /** Used by {@link SmarthostTest @SmarthostTest}: reads the options from the annotation. */
  public SmarthostExtension() {
    this.configured = null;
  }

  private SmarthostExtension(Builder builder) {
    this.configured = builder;
  }

  /**
   * Starts configuring an extension to register with {@code @RegisterExtension}.
   *
   * @return a new builder: STARTTLS, no AUTH, one server per test
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    JupiterVersion.requireSupported();
    if (options(context).perClass) {
      context
          .getStore(NAMESPACE)
          .getOrComputeIfAbsent(SERVER, k -> new StoredServer(start(context)), StoredServer.class);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    JupiterVersion.requireSupported();
    Builder options = options(context);
    ExtensionContext classContext = context.getParent().orElse(context);
    StoredServer perClass = classContext.getStore(NAMESPACE).get(SERVER, StoredServer.class);
    if (options.perClass && perClass != null) {
      refuseConcurrentMethods(context);
      perClass.server.reset();
    } else {
      context.getStore(NAMESPACE).put(SERVER, new StoredServer(start(context)));
    }
  }

  /**
   * One server per class is reset before each test; with test methods running at the same time that
   * reset would wipe another test's messages and faults, so it is refused, not raced.
   */
  private static void refuseConcurrentMethods(ExtensionContext context) {
    boolean parallel =
        context
            .getConfigurationParameter("junit.jupiter.execution.parallel.enabled")
            .map(Boolean::parseBoolean)
            .orElse(false);
    if (parallel
        && context.getExecutionMode() == org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT) {
      throw new org.junit.jupiter.api.extension.ExtensionConfigurationException(
          "SmarthostExtension.perClass() shares one server among the tests of "
              + context.getRequiredTestClass().getName()
              + " and resets it before each test, which would race with test methods running"
              + " concurrently: use a server per test (the default, safe in parallel), or run"
              + " this class with @Execution(ExecutionMode.SAME_THREAD)");
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == SmarthostServer.class || type == SmarthostSettings.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    SmarthostServer server = server(context);
    return parameter.getParameter().getType() == SmarthostServer.class ? server : server.settings();
  }

  private static SmarthostServer server(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context);
        c.isPresent();
        c = c.get().getParent()) {
      StoredServer stored = c.get().getStore(NAMESPACE).get(SERVER, StoredServer.class);
      if (stored != null) {
        return stored.server;
      }
    }
    throw new ParameterResolutionException(
        "no SmarthostServer: inject it into test methods or lifecycle methods of a per-class"
            + " extension");
  }

  private SmarthostServer start(ExtensionContext context) {
    Builder options = options(context);
    SmarthostServer.Builder b = SmarthostServer.builder().encryption(options.encryption);
    if (options.username != null && options.password != null) {
      b.requireAuth(options.username, options.password);
    }
    if (options.imap) {
      b.imap();
    }
    return b.start();
  }

  private Builder options(ExtensionContext context) {
    if (configured != null) {
      return configured;
    }
    Optional<SmarthostTest> annotation =
        context
            .getTestClass()
            .flatMap(c -> AnnotationSupport.findAnnotation(c, SmarthostTest.class));
    Builder b = new Builder();
    annotation.ifPresent(
        a -> {
          b.encryption(a.encryption());
          if (!a.username().isEmpty() || !a.password().isEmpty()) {
            b.requireAuth(a.username(), a.password());
          }
        });
    return b;
  }

  /**
   * The server as JUnit's store holds it. JUnit before 5.13 closes only {@code CloseableResource}
   * values; 5.13 and later close {@code AutoCloseable} ones (and warn about a {@code
   * CloseableResource} that is not one). Implementing both closes the server exactly once on every
   * version.
   */
  @SuppressWarnings("deprecation") // CloseableResource: the only close hook before JUnit 5.13
  private static final class StoredServer
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final SmarthostServer server;

    StoredServer(SmarthostServer server) {
      this.server = server;
    }

    @Override
    public void close() {
      server.close();
    }
  }

  /** Configures a {@link SmarthostExtension}. */
  public static final class Builder {
    private Encryption encryption = Encryption.STARTTLS;
    private @Nullable String username;
    private @Nullable String password;
    private boolean perClass;
    private boolean imap;

    private Builder() {}

    /**
     * Sets the servers' encryption mode (default STARTTLS).
     *
     * @param encryption the mode
     * @return this builder (for chaining)
     */
    public Builder encryption(Encryption encryption) {
      this.encryption = Objects.requireNonNull(encryption, "encryption");
      return this;
    }

    /**
     * Makes the servers require AUTH with these credentials.
     *
     * @param username the user name
     * @param password the password
     * @return this builder (for chaining)
     */
    public Builder requireAuth(String username, String password) {
      SmarthostServer.builder().requireAuth(username, password); // validates
      this.username = username;
      this.password = password;
      return this;
    }

    /**
     * Keeps one server for all tests of the class (register the extension on a {@code static}
     * field), reset before each test. Default: a new server per test.
     *
     * @return this builder (for chaining)
     */
    public Builder perClass() {
      this.perClass = true;
      return this;
    }

    /**
     * Also runs GreenMail's IMAP server on each server ({@link SmarthostServer.Builder#imap()}).
     *
     * @return this builder (for chaining)
     */
    public Builder imap() {
      this.imap = true;
      return this;
    }

    /**
     * Builds the extension.
     *
     * @return the extension
     */
    public SmarthostExtension build() {
      return new SmarthostExtension(this);
    }
  }
}
