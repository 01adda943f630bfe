package dev.smarthost.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The page's HTTP front against clients that send what they like, byte by byte. */
@Timeout(60)
class HttpFrontTest {
  private final ExecutorService workers = Executors.newFixedThreadPool(2);
  private HttpFront front;

  @BeforeEach
  void start() throws IOException {
    front =
        new HttpFront(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            100,
            Duration.ofSeconds(2),
            workers,
            exchange -> {
              byte[] body = exchange.getRequestBody().readAllBytes();
              String text =
                  exchange.getRequestMethod()
                      + " "
                      + exchange.getRequestURI()
                      + " host="
                      + exchange.getRequestHeaders().getFirst("host")
                      + " body="
                      + new String(body, StandardCharsets.UTF_8);
              if (exchange.getRequestURI().getPath().equals("/fail")) {
                throw new IOException("the handler failed");
              }
              byte[] answer = text.getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().set("X-Test", "yes");
              exchange.sendResponseHeaders(200, answer.length);
              exchange.getResponseBody().write(answer);
              exchange.close();
            });
  }

  @AfterEach
  void stop() {
    front.close();
    workers.shutdownNow();
  }

  @Test
  void aRequestSentByteByByteIsAnsweredWhole() throws Exception {
    String answer =
        exchange(
            "PUT /x?y=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
            /* oneByOne= */ true);
    assertThat(answer)
        .startsWith("HTTP/1.1 200 OK\r\n")
        .contains("X-test: yes\r\n", "Content-Length: 28\r\n", "Connection: close\r\n")
        .endsWith("\r\n\r\nPUT /x?y=1 host=h body=hello");
  }

  @Test
  void theJdkClientWithExpectContinueGetsItsAnswer() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + front.address().getPort() + "/a"))
                .expectContinue(true)
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).endsWith("body={}");
  }

  @Test
  void malformedRequestsAreRefusedWithTheirReason() throws Exception {
    assertThat(exchange("GET http://elsewhere/ HTTP/1.1\r\nHost: h\r\n\r\n", false))
        .startsWith("HTTP/1.1 400 ")
        .contains("\"field\":\"request\"");
    assertThat(exchange("GET / HTTP/2.0\r\nHost: h\r\n\r\n", false)).startsWith("HTTP/1.1 505 ");
    assertThat(exchange("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", false))
        .startsWith("HTTP/1.1 400 ");
    assertThat(exchange("GET / HTTP/1.1\r\nHo st: h\r\n\r\n", false)).startsWith("HTTP/1.1 400 ");
    assertThat(exchange("GET / HTTP/1.1\r\nX: a\u0000b\r\n\r\n", false))
        .startsWith("HTTP/1.1 400 ");
    assertThat(
            exchange("POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc", false))
        .startsWith("HTTP/1.1 400 ");
    assertThat(exchange("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", false))
        .startsWith("HTTP/1.1 501 ");
  }

  @Test
  void tooLargeIsRefusedBeforeItArrives() throws Exception {
    // Only the head is sent: the refusal must not wait for a body it will never read.
    assertThat(exchange("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", false))
        .startsWith("HTTP/1.1 413 ")
        .contains("limited to 100 bytes");
    assertThat(
            exchange("GET / HTTP/1.1\r\nX: " + "a".repeat(HttpFront.MAX_HEAD) + "\r\n\r\n", false))
        .startsWith("HTTP/1.1 431 ");
  }

  @Test
  void aFailingHandlerGivesA500AndTheFrontGoesOn() throws Exception {
    assertThat(exchange("GET /fail HTTP/1.1\r\n\r\n", false)).startsWith("HTTP/1.1 500 ");
    assertThat(exchange("GET /ok HTTP/1.1\r\n\r\n", false)).startsWith("HTTP/1.1 200 ");
  }

  @Test
  void aStalledRequestIsClosedAtItsDeadline() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), front.address().getPort())) {
      s.getOutputStream().write("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(10_000);
      long t0 = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - t0))
          .isBetween(Duration.ofMillis(1500), Duration.ofSeconds(5));
    }
  }

  @Test
  void aClientThatNeverReadsItsAnswerIsClosed() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), front.address().getPort())) {
      s.setReceiveBufferSize(1024);
      OutputStream out = s.getOutputStream();
      out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      Thread.sleep(3000); // past the deadline without reading: the front closed it meanwhile
      s.setSoTimeout(5_000);
      assertThat(s.getInputStream().readAllBytes()).asString().startsWith("HTTP/1.1 200 ");
    }
    assertThat(exchange("GET /after HTTP/1.1\r\n\r\n", false)).startsWith("HTTP/1.1 200 ");
  }

  private String exchange(String request, boolean oneByOne) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), front.address().getPort())) {
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
      if (oneByOne) {
        for (byte b : bytes) {
          out.write(b);
          out.flush();
        }
      } else {
        out.write(bytes);
      }
      out.flush();
      return readAll(s.getInputStream());
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        all.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the front did not close the connection: " + all, e);
    }
    return all.toString(StandardCharsets.UTF_8);
  }
}
