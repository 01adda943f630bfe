package dev.smarthost.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * The {@code mail.smtp.socketFactory}: plain sockets with {@code TCP_NODELAY} that tell the
 * transport when they connected. Angus creates the socket with {@link #createSocket()} and connects
 * it itself.
 */
public final class TracingSocketFactory extends SocketFactory {
  private static final TracingSocketFactory INSTANCE = new TracingSocketFactory();

  private TracingSocketFactory() {}

  public static TracingSocketFactory instance() {
    return INSTANCE;
  }

  @Override
  public Socket createSocket() {
    return new TracedSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(null, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(null, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
  }

  private static Socket connected(@Nullable SocketAddress local, SocketAddress remote)
      throws IOException {
    Socket s = new TracedSocket();
    if (local != null) {
      s.bind(local);
    }
    s.connect(remote);
    return s;
  }

  @Override
  public String toString() {
    return "TracingSocketFactory";
  }

  private static final class TracedSocket extends Socket {
    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      super.connect(endpoint, timeout);
      setTcpNoDelay(true);
      SocketCapture.connected(this);
    }
  }
}
