package dev.smarthost.cli.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request read whole by {@link HttpFront}, seen by the page's handlers through the JDK's {@link
 * HttpExchange} type; the answer is collected in memory and handed back to the front when the
 * exchange is closed (answers are small: the page and JSON).
 */
final class FrontExchange extends HttpExchange {
  private final HttpFront.Connection connection;
  private final RequestHead.Complete request;
  private final InetSocketAddress local;
  private final Map<String, Object> attributes = new HashMap<>();
  private Headers responseHeaders = new Headers();
  private ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
  private int status = -1;
  private boolean closed;

  FrontExchange(
      HttpFront.Connection connection, RequestHead.Complete request, InetSocketAddress local) {
    this.connection = connection;
    this.request = request;
    this.local = local;
  }

  @Override
  public Headers getRequestHeaders() {
    return request.headers();
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return request.uri();
  }

  @Override
  public String getRequestMethod() {
    return request.method();
  }

  @Override
  public HttpContext getHttpContext() {
    throw new UnsupportedOperationException("the settings page has one handler and no contexts");
  }

  @Override
  public InputStream getRequestBody() {
    return new ByteArrayInputStream(request.body());
  }

  @Override
  public OutputStream getResponseBody() {
    return responseBody;
  }

  @Override
  public synchronized void sendResponseHeaders(int code, long length) throws IOException {
    if (status >= 0) {
      throw new IOException("the answer's headers were sent already");
    }
    status = code;
  }

  /** The handler failed: whatever it answered so far is replaced by a 500. */
  synchronized void failed() {
    if (!closed) {
      responseHeaders = new Headers();
      responseBody = new ByteArrayOutputStream();
      status = -1;
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    byte[] answer =
        status < 0
            ? errorResponse(500, "server", "the request could not be answered")
            : response(status, responseHeaders, responseBody.toByteArray());
    connection.front.answer(connection, answer);
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return connection.remote;
  }

  @Override
  public synchronized int getResponseCode() {
    return status;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return local;
  }

  @Override
  public String getProtocol() {
    return request.protocol();
  }

  @Override
  public synchronized @Nullable Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public synchronized void setAttribute(String name, @Nullable Object value) {
    if (value == null) {
      attributes.remove(name);
    } else {
      attributes.put(name, value);
    }
  }

  @Override
  public void setStreams(@Nullable InputStream in, @Nullable OutputStream out) {
    throw new UnsupportedOperationException("the settings page does not filter streams");
  }

  @Override
  public @Nullable HttpPrincipal getPrincipal() {
    return null;
  }

  /** A whole answer with a {@code {field, hint}} JSON body. */
  static byte[] errorResponse(int status, String field, String hint) {
    Headers headers = new Headers();
    headers.set("Content-Type", "application/json; charset=utf-8");
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    return response(status, headers, JsonExchange.bytes(JsonExchange.error(field, hint)));
  }

  private static byte[] response(int status, Headers headers, byte[] body) {
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase("Content-Length")
          || header.getKey().equalsIgnoreCase("Connection")) {
        continue; // ours
      }
      for (String value : header.getValue()) {
        // Values come from our handlers; a line break would still split the answer: drop it.
        head.append(header.getKey())
            .append(": ")
            .append(value.replaceAll("[\r\n]", ""))
            .append("\r\n");
      }
    }
    head.append("Content-Length: ").append(body.length).append("\r\n");
    head.append("Connection: close\r\n\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[headBytes.length + body.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(body, 0, all, headBytes.length, body.length);
    return all;
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Content Too Large";
      case 421 -> "Misdirected Request";
      case 422 -> "Unprocessable Content";
      case 428 -> "Precondition Required";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "Status";
    };
  }
}
