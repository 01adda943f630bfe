package dev.smarthost.cli.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/** JSON in and out of the settings server's exchanges; errors are {@code {field, hint}}. */
final class JsonExchange {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonExchange() {}

  /** The body as a JSON object, or null after answering 413 (too large) or 400 (not an object). */
  static @Nullable JsonNode body(HttpExchange exchange, int maxBytes) throws IOException {
    byte[] bytes = exchange.getRequestBody().readNBytes(maxBytes + 1);
    if (bytes.length > maxBytes) {
      send(exchange, 413, error("body", "requests are limited to " + maxBytes + " bytes"));
      return null;
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new IOException("not an object");
      }
      return node;
    } catch (IOException e) {
      send(exchange, 400, error("body", "expected a JSON object"));
      return null;
    }
  }

  static ObjectNode error(String field, @Nullable String hint) {
    ObjectNode node = JSON.createObjectNode();
    node.put("field", field);
    node.put("hint", hint);
    return node;
  }

  static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
