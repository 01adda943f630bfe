package dev.smarthost.testkit;

import dev.smarthost.testkit.internal.Certificates;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/** The server-side TLS contexts of one server: the good one, and one per certificate fault. */
final class TlsContexts {
  private final Certificates authority;
  private final SSLContext good;
  private @Nullable SSLContext expired;
  private @Nullable SSLContext wrongName;
  private @Nullable SSLContext selfSigned;

  TlsContexts(Certificates authority) {
    this.authority = authority;
    this.good = authority.serverContext();
  }

  synchronized SSLContext forFault(Fault.@Nullable Kind certificateFault) {
    if (certificateFault == null) {
      return good;
    }
    Instant now = Instant.now();
    switch (certificateFault) {
      case TLS_CERT_EXPIRED:
        if (expired == null) {
          expired =
              authority.serverContext(
                  Certificates.LOOPBACK_NAMES,
                  now.minus(Duration.ofDays(30)),
                  now.minus(Duration.ofDays(1)));
        }
        return expired;
      case TLS_CERT_WRONG_NAME:
        if (wrongName == null) {
          wrongName =
              authority.serverContext(
                  List.of("wrong-name.invalid"),
                  now.minus(Duration.ofHours(1)),
                  now.plus(Duration.ofDays(1)));
        }
        return wrongName;
      case TLS_CERT_SELF_SIGNED:
        if (selfSigned == null) {
          selfSigned = Certificates.selfSignedContext(Certificates.LOOPBACK_NAMES);
        }
        return selfSigned;
      default:
        throw new IllegalArgumentException("not a certificate fault: " + certificateFault);
    }
  }
}
