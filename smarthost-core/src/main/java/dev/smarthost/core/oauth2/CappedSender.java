package dev.smarthost.core.oauth2;

import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Sends a token request as Nimbus' own sender does ({@code HttpURLConnection}: the JDK's trust
 * store and proxy properties, no redirects), but reads at most {@link #MAX_ANSWER} bytes of the
 * answer: a token endpoint that answers hundreds of megabytes (a broken or hostile one) fails the
 * request instead of the JVM's memory.
 */
final class CappedSender implements HTTPRequestSender {
  /** The largest answer read: 64 KiB, far more than any token response. */
  static final int MAX_ANSWER = 64 * 1024;

  @Override
  public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
    HttpURLConnection c = (HttpURLConnection) request.getURL().openConnection();
    try {
      c.setRequestMethod(request.getMethod().name());
      c.setConnectTimeout(request.getConnectTimeout());
      c.setReadTimeout(request.getReadTimeout());
      c.setInstanceFollowRedirects(false); // the client secret is in the body
      c.setUseCaches(false);
      for (Map.Entry<String, List<String>> h : request.getHeaderMap().entrySet()) {
        for (String value : h.getValue()) {
          c.addRequestProperty(h.getKey(), value);
        }
      }
      String body = request.getBody();
      if (body != null) {
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
          out.write(body.getBytes(StandardCharsets.UTF_8));
        }
      }
      int status = c.getResponseCode();
      HTTPResponse response = new HTTPResponse(status);
      response.setStatusMessage(c.getResponseMessage());
      for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
        if (h.getKey() != null && !h.getValue().isEmpty()) {
          response.setHeader(h.getKey(), h.getValue().toArray(new String[0]));
        }
      }
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      if (in != null) {
        try (InputStream answer = in) {
          response.setBody(read(answer));
        }
      }
      return response;
    } finally {
      c.disconnect();
    }
  }

  private static String read(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    for (int n; (n = in.read(buffer)) >= 0; ) {
      if (b.size() + n > MAX_ANSWER) {
        throw new IOException(
            "the answer is larger than " + (MAX_ANSWER / 1024) + " KiB; not read further");
      }
      b.write(buffer, 0, n);
    }
    return b.toString(StandardCharsets.UTF_8);
  }
}
