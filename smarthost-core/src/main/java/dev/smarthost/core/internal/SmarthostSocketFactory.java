package dev.smarthost.core.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The {@code mail.smtp.ssl.socketFactory} of every smarthost session. Angus always opens a plain
 * socket and layers TLS on it through {@link #createSocket(Socket, String, int, boolean)}, for
 * STARTTLS and implicit TLS alike, so this one place sees every TLS connection: it disables Nagle
 * (otherwise each STARTTLS connect stalls ~70 ms on delayed ACKs), restricts the protocols and
 * hands the socket to the transport through {@link SocketCapture}.
 */
final class SmarthostSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;
  private final String[] protocols;

  SmarthostSocketFactory(SSLSocketFactory delegate, List<String> protocols) {
    this.delegate = delegate;
    this.protocols = protocols.toArray(new String[0]);
  }

  @Override
  public Socket createSocket(Socket plain, String host, int port, boolean autoClose)
      throws IOException {
    plain.setTcpNoDelay(true);
    SSLSocket tls = configure(delegate.createSocket(plain, host, port, autoClose));
    SocketCapture.tlsStarted(plain, tls);
    return tls;
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return configure(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return configure(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return configure(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return configure(delegate.createSocket(address, port, localAddress, localPort));
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  private SSLSocket configure(Socket socket) {
    SSLSocket ssl = (SSLSocket) socket;
    ssl.setEnabledProtocols(protocols);
    return ssl;
  }

  @Override
  public String toString() {
    return "SmarthostSocketFactory";
  }
}
