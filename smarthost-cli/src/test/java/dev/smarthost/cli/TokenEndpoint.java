package dev.smarthost.cli;

import com.sun.net.httpserver.HttpServer;
import dev.smarthost.cli.web.SettingsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP token endpoint on loopback that answers every client-credentials request with one
 * fixed bearer token, and records the forms it received. (The full OAuth flow against a real
 * authorization server is OAuth2Test in smarthost-it.)
 */
final class TokenEndpoint implements AutoCloseable {
  static final String PATH = "/tenant/oauth2/v2.0/token";

  final String token;
  final List<String> forms = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  TokenEndpoint(String token) throws IOException {
    // The JDK's HTTP server reads its limits once, when the first server of the JVM starts, and
    // SettingsServer sets its request deadline before that in its static initializer: initialize it
    // first, or a SettingsServer test that runs later in this JVM loses the deadline.
    try {
      Class.forName(SettingsServer.class.getName(), true, TokenEndpoint.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    this.token = token;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        PATH,
        exchange -> {
          forms.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] body =
              ("{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3599}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
