package dev.smarthost.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that delays every byte by a fixed time in each direction, like a distant
 * server: what the client writes reaches the target {@code delay} later, and so do the replies, so
 * a round trip costs twice the delay. Bandwidth is not limited, order is kept, TLS passes through.
 */
final class LatencyProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final InetSocketAddress target;
  private final long delayNanos;
  private volatile boolean closed;

  LatencyProxy(InetSocketAddress target, long oneWayDelayMillis) throws IOException {
    this.target = target;
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(oneWayDelayMillis);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "latency-proxy-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /**
   * A proxy with {@link PipeliningBenchmark#ONE_WAY_DELAY_MILLIS} each way in front of the server.
   */
  static LatencyProxy inFrontOf(dev.smarthost.testkit.SmarthostServer server) throws IOException {
    return new LatencyProxy(
        new InetSocketAddress(server.host(), server.port()),
        PipeliningBenchmark.ONE_WAY_DELAY_MILLIS);
  }

  /** The server's settings with this proxy's port. */
  dev.smarthost.SmarthostSettings settings(dev.smarthost.testkit.SmarthostServer server) {
    return server.settings().toBuilder().port(port()).build();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket();
        server.connect(target, 5_000);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        if (!closed) {
          System.err.println("latency proxy: " + e);
        }
      }
    }
  }

  /** One direction: a reader stamps each read with its due time, a writer waits for it. */
  private void pump(Socket from, Socket to) throws IOException {
    BlockingQueue<Packet> queue = new LinkedBlockingQueue<>();
    InputStream in = from.getInputStream();
    OutputStream out = to.getOutputStream();
    Thread reader =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                  queue.add(new Packet(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
              } catch (IOException ignored) {
                // the connection ended
              }
              queue.add(new Packet(System.nanoTime() + delayNanos, null));
            },
            "latency-proxy-read");
    Thread writer =
        new Thread(
            () -> {
              try {
                while (true) {
                  Packet p = queue.take();
                  for (long wait; (wait = p.due - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait);
                  }
                  if (p.bytes == null) {
                    to.shutdownOutput();
                    return;
                  }
                  out.write(p.bytes);
                }
              } catch (IOException | InterruptedException e) {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "latency-proxy-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
  }

  private static final class Packet {
    final long due;
    final byte[] bytes;

    Packet(long due, byte[] bytes) {
      this.due = due;
      this.bytes = bytes;
    }
  }
}
