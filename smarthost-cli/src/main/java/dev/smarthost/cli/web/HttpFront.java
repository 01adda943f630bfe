package dev.smarthost.cli.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The settings page's HTTP/1.1 server. One selector thread reads every request whole (head and
 * body) before a worker sees it, and writes every answer, so a stalled or slow client holds a
 * socket, never a thread: the JDK's own server reads headers on its worker threads, where a few
 * hundred stalled clients queue every other request behind them.
 *
 * <p>Limits: a request must arrive within the given time, its head within {@link #MAX_HEAD} bytes,
 * its body within the given size ({@code Content-Length} only; chunked bodies are refused). One
 * address keeps at most {@link #PER_CLIENT} connections and all together at most {@link
 * #MAX_CONNECTIONS}; beyond that the oldest connection still sending its request is closed, so a
 * new request always gets in and a flood only displaces itself. One request per connection.
 */
final class HttpFront implements AutoCloseable {
  static final int PER_CLIENT = 32;
  static final int MAX_CONNECTIONS = 512;
  static final int MAX_HEAD = 16 * 1024;

  /** After the answer, how long unread input is drained so that closing does not reset it. */
  private static final Duration LINGER = Duration.ofSeconds(2);

  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private final ServerSocketChannel server;
  private final Selector selector;
  private final Thread loop;
  private final ExecutorService workers;
  private final Handler handler;
  private final int maxBody;
  private final long requestNanos;
  private final InetSocketAddress address;

  /** Connections still sending their request, oldest first: the ones a flood displaces. */
  private final LinkedHashSet<Connection> reading = new LinkedHashSet<>();

  private final Map<InetAddress, Integer> perClient = new HashMap<>();
  private final List<Connection> timed = new ArrayList<>();
  private final Queue<Connection> answered = new ConcurrentLinkedQueue<>();
  private volatile boolean open = true;

  HttpFront(
      InetSocketAddress listen,
      int maxBody,
      Duration requestTime,
      ExecutorService workers,
      Handler handler)
      throws IOException {
    this.maxBody = maxBody;
    this.requestNanos = requestTime.toNanos();
    this.workers = workers;
    this.handler = handler;
    this.selector = Selector.open();
    this.server = ServerSocketChannel.open();
    try {
      server.bind(listen, 256);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException e) {
      server.close();
      selector.close();
      throw e;
    }
    this.address = (InetSocketAddress) server.getLocalAddress();
    this.loop = new Thread(this::run, "smarthost-serve-front");
    loop.setDaemon(true);
    loop.start();
  }

  InetSocketAddress address() {
    return address;
  }

  @Override
  public void close() {
    open = false;
    selector.wakeup();
    try {
      loop.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Called by a worker when its exchange is closed: the answer goes out on the selector thread. */
  void answer(Connection connection, byte[] response) {
    connection.output = ByteBuffer.wrap(response);
    answered.add(connection);
    selector.wakeup();
  }

  private void run() {
    try {
      while (open) {
        selector.select(Math.max(1, Math.min(1000, nextDeadlineMillis())));
        for (Connection c; (c = answered.poll()) != null; ) {
          startWriting(c);
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            acceptAll();
          } else {
            Connection c = (Connection) key.attachment();
            if (key.isReadable()) {
              read(c);
            } else if (key.isWritable()) {
              write(c);
            }
          }
        }
        expire();
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("smarthost serve: the page's server stopped: " + e);
    } finally {
      for (SelectionKey key : selector.keys()) {
        closeQuietly(key.channel());
      }
      closeQuietly(selector);
    }
  }

  private long nextDeadlineMillis() {
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    for (Connection c : timed) {
      next = Math.min(next, c.deadline - now);
    }
    return next == Long.MAX_VALUE ? 1000 : next / 1_000_000 + 1;
  }

  private void acceptAll() throws IOException {
    SocketChannel channel;
    while ((channel = server.accept()) != null) {
      InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
      InetAddress client = remote.getAddress();
      if ((perClient.getOrDefault(client, 0) >= PER_CLIENT && !displaceOldest(client))
          || (timed.size() >= MAX_CONNECTIONS && !displaceOldest(null))) {
        closeQuietly(channel); // every connection of that client is being answered
        continue;
      }
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Connection c = new Connection(this, channel, remote, System.nanoTime() + requestNanos);
      perClient.merge(client, 1, Integer::sum);
      timed.add(c);
      reading.add(c);
    }
  }

  /** Closes the oldest connection (of that client, or of anyone) still sending its request. */
  private boolean displaceOldest(@Nullable InetAddress client) {
    for (Connection c : reading) {
      if (client == null || c.client.equals(client)) {
        drop(c);
        return true;
      }
    }
    return false;
  }

  private void read(Connection c) {
    try {
      if (c.draining) {
        ByteBuffer sink = ByteBuffer.allocate(4096);
        if (c.channel.read(sink) < 0) {
          drop(c);
        }
        return;
      }
      if (!c.input.hasRemaining()) {
        c.input = grow(c.input);
      }
      if (c.channel.read(c.input) < 0) {
        drop(c); // the client gave up before its request was whole
        return;
      }
      RequestHead.Outcome outcome = RequestHead.parse(c.input, maxBody);
      if (outcome instanceof RequestHead.Incomplete incomplete) {
        if (incomplete.expectsContinue() && !c.continued) {
          c.continued = true;
          c.channel.write(ByteBuffer.wrap(CONTINUE)); // small: fits a fresh socket's buffer
        }
      } else if (outcome instanceof RequestHead.Refused refused) {
        reading.remove(c);
        c.key.interestOps(0);
        answer(c, FrontExchange.errorResponse(refused.status(), refused.field(), refused.hint()));
      } else if (outcome instanceof RequestHead.Complete complete) {
        reading.remove(c);
        c.key.interestOps(0);
        timed.remove(c); // a worker has it now; the checks it runs have their own timeouts
        try {
          workers.execute(() -> handleOn(c, complete));
        } catch (RejectedExecutionException e) {
          drop(c);
        }
      }
    } catch (IOException e) {
      drop(c);
    }
  }

  private void handleOn(Connection c, RequestHead.Complete request) {
    FrontExchange exchange = new FrontExchange(c, request, address);
    try {
      handler.handle(exchange);
    } catch (IOException | RuntimeException e) {
      exchange.failed();
    } finally {
      exchange.close();
    }
  }

  private void startWriting(Connection c) {
    if (!c.key.isValid()) {
      return; // dropped meanwhile
    }
    c.deadline = System.nanoTime() + requestNanos;
    if (!timed.contains(c)) {
      timed.add(c);
    }
    c.key.interestOps(SelectionKey.OP_WRITE);
    write(c);
  }

  private void write(Connection c) {
    ByteBuffer output = c.output;
    if (output == null) {
      return;
    }
    try {
      c.channel.write(output);
      if (!output.hasRemaining()) {
        // Half-close and read what the client still sends: closing with unread input would
        // reset the connection and could destroy the answer before the client read it.
        c.channel.shutdownOutput();
        c.output = null;
        c.draining = true;
        c.deadline = System.nanoTime() + LINGER.toNanos();
        c.key.interestOps(SelectionKey.OP_READ);
      }
    } catch (IOException e) {
      drop(c);
    }
  }

  private void expire() {
    long now = System.nanoTime();
    for (Connection c : new ArrayList<>(timed)) {
      if (now - c.deadline >= 0) {
        drop(c);
      }
    }
  }

  private void drop(Connection c) {
    if (c.dropped) {
      return;
    }
    c.dropped = true;
    c.key.cancel();
    closeQuietly(c.channel);
    reading.remove(c);
    timed.remove(c);
    perClient.computeIfPresent(c.client, (k, n) -> n <= 1 ? null : n - 1);
  }

  private static ByteBuffer grow(ByteBuffer buffer) {
    ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2);
    buffer.flip();
    return bigger.put(buffer);
  }

  private static void closeQuietly(@Nullable AutoCloseable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (Exception ignored) {
        // closing is best effort
      }
    }
  }

  /** One client connection; touched by the selector thread, and by one worker while handled. */
  static final class Connection {
    final HttpFront front;
    final SocketChannel channel;
    final InetSocketAddress remote;
    final InetAddress client;
    final SelectionKey key;
    ByteBuffer input = ByteBuffer.allocate(2048);
    volatile @Nullable ByteBuffer output;
    long deadline;
    boolean continued;
    boolean draining;
    boolean dropped;

    Connection(HttpFront front, SocketChannel channel, InetSocketAddress remote, long deadline)
        throws IOException {
      this.front = front;
      this.channel = channel;
      this.remote = remote;
      this.client = remote.getAddress();
      this.deadline = deadline;
      this.key = channel.register(front.selector, SelectionKey.OP_READ, this);
    }
  }
}
