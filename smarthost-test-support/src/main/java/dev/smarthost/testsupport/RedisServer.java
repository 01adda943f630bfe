package dev.smarthost.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.embedded.core.ExecutableProvider;

/**
 * A real redis-server on a free loopback port, for one test class: the system's own ({@code apt-get
 * install redis-server}) when it is installed, otherwise the binary that {@code
 * com.github.codemonstur:embedded-redis} ships for this platform, so that the tests need nothing
 * but a JDK. Which one runs is printed once per JVM.
 */
// close() waits for the process to end; an interrupt there belongs to the test that waits.
@SuppressWarnings("try")
public final class RedisServer implements AutoCloseable {
  private final int port;
  private final Path dir;
  private final boolean durable;
  private Process process;

  private RedisServer(int port, boolean durable) throws IOException {
    this.port = port;
    this.durable = durable;
    this.dir = Files.createTempDirectory("smarthost-redis");
    this.process = launch(port);
  }

  /**
   * Starts a server that keeps nothing on disk.
   *
   * @return the running server
   * @throws IOException if it cannot be started
   */
  public static RedisServer start() throws IOException {
    return new RedisServer(freePort(), false);
  }

  /**
   * Starts a server that writes every change to its append-only file before it answers.
   *
   * @return the running server
   * @throws IOException if it cannot be started
   */
  public static RedisServer startDurable() throws IOException {
    return new RedisServer(freePort(), true);
  }

  /**
   * Kills the server and starts it again on the same port with the same data directory.
   *
   * @throws IOException if it cannot be started again
   * @throws InterruptedException if interrupted while waiting for it to die
   */
  public void restartKeepingData() throws IOException, InterruptedException {
    stop(process);
    process = launch(port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  /** Starts redis-server on this port; it loads dir/dump.rdb if a preload left one there. */
  private Process launch(int port) throws IOException {
    String binary = binary();
    Process p =
        new ProcessBuilder(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                durable ? "yes" : "no",
                "--appendfsync",
                "always",
                "--dir",
                dir.toString(),
                "--dbfilename",
                "dump.rdb",
                "--loglevel",
                "warning")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (Jedis jedis = client(port)) {
        if ("PONG".equals(jedis.ping())) {
          return p;
        }
      } catch (JedisException e) {
        sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("redis-server did not answer on port " + port + " within 10 s");
  }

  private static String binary() {
    return Binary.PATH;
  }

  /** Resolved once per JVM: the embedded binary is extracted to a temporary file. */
  private static final class Binary {
    static final String PATH = locate();

    private static String locate() {
      for (String candidate :
          new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
        if (Files.isExecutable(Path.of(candidate))) {
          System.out.println("[RedisServer] using the system's " + candidate);
          return candidate;
        }
      }
      try {
        String shipped = ExecutableProvider.newJarResourceProvider().get().getAbsolutePath();
        System.out.println(
            "[RedisServer] no system redis-server; using the binary embedded-redis ships: "
                + shipped);
        return shipped;
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "no redis-server: neither installed (apt-get install redis-server) nor shipped by"
                + " embedded-redis for "
                + System.getProperty("os.name")
                + "/"
                + System.getProperty("os.arch"),
            e);
      }
    }
  }

  /**
   * Returns where the server listens.
   *
   * @return {@code redis://127.0.0.1:PORT}
   */
  public URI uri() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  /**
   * Returns a new client connected to the server; close it.
   *
   * @return the client
   */
  public Jedis client() {
    return client(port);
  }

  private static Jedis client(int port) {
    return new Jedis(
        new HostAndPort("127.0.0.1", port),
        redis.clients.jedis.DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(1000)
            .socketTimeoutMillis(2000)
            .build());
  }

  /**
   * Kills the server (SIGKILL: no goodbye to clients).
   *
   * @throws InterruptedException if interrupted while waiting for it to die
   */
  public void kill() throws InterruptedException {
    stop(process);
  }

  private static void stop(Process p) throws InterruptedException {
    p.destroyForcibly();
    if (!p.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("redis-server did not stop");
    }
  }

  /**
   * Starts a fresh, empty server on the same port.
   *
   * @throws IOException if it cannot be started
   */
  public void restart() throws IOException {
    process = launch(port);
  }

  /**
   * Starts a server on the same port that already holds this hash when it accepts its first client:
   * a change made while the server was down, announced to nobody. (A restart followed by a write
   * would race with clients reconnecting in between.)
   *
   * @param key the hash's key
   * @param hash its fields
   * @throws IOException if the server cannot be started or its data written
   * @throws InterruptedException if interrupted while waiting for the old one to die
   */
  public void restartWith(String key, Map<String, String> hash)
      throws IOException, InterruptedException {
    int preloadPort = freePort();
    Process preload = launch(preloadPort);
    try (Jedis jedis = client(preloadPort)) {
      jedis.hset(key, hash);
      jedis.save();
    } finally {
      stop(preload);
    }
    process = launch(port);
    Files.delete(dir.resolve("dump.rdb")); // loaded; later restarts start empty again
  }

  /**
   * Kills the server.
   *
   * @throws InterruptedException if interrupted while waiting for it to die
   */
  @Override
  public void close() throws InterruptedException {
    kill();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
