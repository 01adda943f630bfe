package dev.smarthost.testkit.internal;

import dev.smarthost.testkit.Fault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The server-side TLS contexts of one server: its own CA, the good context and one per certificate
 * fault, each made on first use (a server that nobody connects to over TLS and whose trust store
 * nobody asks for makes none). Cheap enough for one per test: the key pairs are the JVM's ({@link
 * Certificates}), only the certificates are new.
 */
public final class TlsContexts {
  private final String caName;
  private @Nullable Certificates authority;

  public TlsContexts(String caName) {
    this.caName = caName;
  }

  private synchronized Certificates authority() {
    if (authority == null) {
      authority = Certificates.newAuthority(caName);
    }
    return authority;
  }

  public KeyStore trustStore() {
    return authority().trustStore();
  }

  /** Writes the CA's certificate as a PEM file, replacing {@code file}. */
  public Path writeCaCertificate(Path file) {
    try {
      KeyStore store = trustStore();
      Certificate ca = store.getCertificate(store.aliases().nextElement());
      String pem =
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(ca.getEncoded())
              + "\n-----END CERTIFICATE-----\n";
      Files.writeString(file, pem, StandardCharsets.US_ASCII);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the server's CA cannot be encoded", e);
    }
  }

  private @Nullable SSLContext good;
  private @Nullable SSLContext expired;
  private @Nullable SSLContext wrongName;
  private @Nullable SSLContext selfSigned;

  synchronized SSLContext forFault(Fault.@Nullable Condition certificateFault) {
    if (certificateFault == null) {
      if (good == null) {
        good = authority().serverContext();
      }
      return good;
    }
    Instant now = Instant.now();
    switch (certificateFault) {
      case TLS_CERT_EXPIRED -> {
        if (expired == null) {
          expired =
              authority()
                  .serverContext(
                      Certificates.LOOPBACK_NAMES,
                      now.minus(Duration.ofDays(30)),
                      now.minus(Duration.ofDays(1)));
        }
        return expired;
      }
      case TLS_CERT_WRONG_NAME -> {
        if (wrongName == null) {
          wrongName =
              authority()
                  .serverContext(
                      List.of("wrong-name.invalid"),
                      now.minus(Duration.ofHours(1)),
                      now.plus(Duration.ofDays(1)));
        }
        return wrongName;
      }
      case TLS_CERT_SELF_SIGNED -> {
        if (selfSigned == null) {
          selfSigned = Certificates.selfSignedContext(Certificates.LOOPBACK_NAMES);
        }
        return selfSigned;
      }
      default -> throw new IllegalArgumentException("not a certificate fault: " + certificateFault);
    }
  }
}
