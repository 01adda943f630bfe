package dev.smarthost.cli.web;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 request from the bytes received so far: strict, because every byte comes from
 * whoever can reach the port. A request is whole when its head and its {@code Content-Length} bytes
 * of body have arrived.
 */
final class RequestHead {
  private RequestHead() {}

  sealed interface Outcome permits Incomplete, Refused, Complete {}

  /** More bytes are needed; the client waits for {@code 100 Continue} if it asked for it. */
  record Incomplete(boolean expectsContinue) implements Outcome {}

  /** The request is refused with this status and a {@code {field, hint}} body. */
  record Refused(int status, String field, String hint) implements Outcome {}

  @SuppressWarnings(
      "ArrayRecordComponent") // handed from the parser to the exchange, never compared
  record Complete(String method, URI uri, String protocol, Headers headers, byte[] body)
      implements Outcome {}

  private static final Incomplete MORE = new Incomplete(false);

  /**
   * @param received the bytes so far, from index 0 to its position
   * @param maxBody the largest body accepted
   */
  @SuppressWarnings("ByteBufferBackingArray") // the front allocates it: offset 0, whole array
  static Outcome parse(ByteBuffer received, int maxBody) {
    byte[] bytes = received.array();
    int length = received.position();
    int end = headEnd(bytes, Math.min(length, HttpFront.MAX_HEAD));
    if (end < 0) {
      return length >= HttpFront.MAX_HEAD
          ? new Refused(
              431, "head", "request heads are limited to " + HttpFront.MAX_HEAD + " bytes")
          : MORE;
    }
    List<String> lines =
        Arrays.asList(new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n", -1));
    String[] start = lines.get(0).split(" ", -1);
    if (start.length != 3 || !isToken(start[0]) || !start[1].startsWith("/")) {
      return new Refused(400, "request", "expected: METHOD /path HTTP/1.1");
    }
    if (!start[2].equals("HTTP/1.1") && !start[2].equals("HTTP/1.0")) {
      return new Refused(505, "request", "only HTTP/1.1 is served");
    }
    URI uri;
    try {
      uri = new URI(start[1]);
    } catch (URISyntaxException e) {
      return new Refused(400, "request", "the path is not a valid URI");
    }
    Headers headers = new Headers();
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon)) || hasControl(line)) {
        return new Refused(400, "head", "a header line is malformed");
      }
      headers.add(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    if (headers.containsKey("Transfer-Encoding")) {
      return new Refused(501, "body", "send the body with Content-Length, not chunked");
    }
    List<String> lengths = headers.getOrDefault("Content-Length", List.of("0"));
    long bodyLength;
    if (lengths.stream().distinct().count() != 1 || !lengths.get(0).matches("[0-9]{1,10}")) {
      return new Refused(400, "body", "Content-Length is not one number");
    }
    bodyLength = Long.parseLong(lengths.get(0));
    if (bodyLength > maxBody) {
      return new Refused(413, "body", "requests are limited to " + maxBody + " bytes");
    }
    int bodyStart = end + 4;
    if (length - bodyStart < bodyLength) {
      String expect = headers.getFirst("Expect");
      return expect != null && expect.toLowerCase(Locale.ROOT).equals("100-continue")
          ? new Incomplete(true)
          : MORE;
    }
    byte[] body = Arrays.copyOfRange(bytes, bodyStart, bodyStart + (int) bodyLength);
    return new Complete(start[0], uri, start[2], headers, body);
  }

  /** The index of the blank line's CRLF CRLF, or -1. */
  private static int headEnd(byte[] bytes, int length) {
    for (int i = 0; i + 3 < length; i++) {
      if (bytes[i] == '\r'
          && bytes[i + 1] == '\n'
          && bytes[i + 2] == '\r'
          && bytes[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private static boolean isToken(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= ' ' || c >= 127 || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasControl(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < ' ' && c != '\t') || c == 127) {
        return true;
      }
    }
    return false;
  }
}
