package dev.smarthost.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A byte-level SMTP client for observing exactly what the server says. Every read is bounded. */
final class RawClient implements AutoCloseable {
  private Socket socket;
  private BufferedReader in;
  private OutputStream out;

  RawClient(int port, int readTimeoutMillis) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    socket.setSoTimeout(readTimeoutMillis);
    streams();
  }

  private void streams() throws IOException {
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    out = socket.getOutputStream();
  }

  /** Reads one whole reply (all continuation lines); null if the server closed the connection. */
  String reply() throws IOException {
    StringBuilder b = new StringBuilder();
    while (true) {
      String line = in.readLine();
      if (line == null) {
        return b.length() == 0 ? null : b.toString();
      }
      b.append(b.length() == 0 ? "" : "\n").append(line);
      if (line.length() < 4 || line.charAt(3) != '-') {
        return b.toString();
      }
    }
  }

  /** The raw output, for writing a message body without waiting for a reply. */
  OutputStream output() {
    return out;
  }

  String send(String line) throws IOException {
    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return reply();
  }

  /**
   * Upgrades to TLS, verifying the server against {@code trust} with host name check "localhost".
   */
  void tls(KeyStore trust) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    SSLSocket tls =
        (SSLSocket)
            context.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
    SSLParameters params = tls.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS");
    tls.setSSLParameters(params);
    tls.startHandshake();
    socket = tls;
    streams();
  }

  SSLSocket sslSocket() {
    return (SSLSocket) socket;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
