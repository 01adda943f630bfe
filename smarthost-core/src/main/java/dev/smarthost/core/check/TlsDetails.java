package dev.smarthost.core.check;

import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/** The TLS session of a checked connection and the certificate the server presented. */
public final class TlsDetails {
  private final String protocol;
  private final String cipherSuite;
  private final @Nullable String peerSubject;
  private final @Nullable String peerIssuer;
  private final List<String> peerAlternativeNames;
  private final @Nullable Instant peerNotAfter;

  private TlsDetails(SSLSession session) {
    this.protocol = session.getProtocol();
    this.cipherSuite = session.getCipherSuite();
    X509Certificate peer = peer(session);
    this.peerSubject = peer == null ? null : peer.getSubjectX500Principal().getName();
    this.peerIssuer = peer == null ? null : peer.getIssuerX500Principal().getName();
    this.peerAlternativeNames = peer == null ? List.of() : alternativeNames(peer);
    this.peerNotAfter = peer == null ? null : peer.getNotAfter().toInstant();
  }

  static TlsDetails of(SSLSession session) {
    return new TlsDetails(Objects.requireNonNull(session, "session"));
  }

  /**
   * Returns the negotiated protocol.
   *
   * @return for example {@code TLSv1.3}
   */
  public String protocol() {
    return protocol;
  }

  /**
   * Returns the negotiated cipher suite.
   *
   * @return for example {@code TLS_AES_128_GCM_SHA256}
   */
  public String cipherSuite() {
    return cipherSuite;
  }

  /**
   * Returns the subject of the server's certificate.
   *
   * @return the RFC 2253 name, or empty if the server presented none
   */
  public Optional<String> peerSubject() {
    return Optional.ofNullable(peerSubject);
  }

  /**
   * Returns the issuer of the server's certificate.
   *
   * @return the RFC 2253 name, or empty if the server presented none
   */
  public Optional<String> peerIssuer() {
    return Optional.ofNullable(peerIssuer);
  }

  /**
   * Returns the DNS names and IP addresses the certificate is issued for.
   *
   * @return the subject alternative names
   */
  public List<String> peerAlternativeNames() {
    return peerAlternativeNames;
  }

  /**
   * Returns when the server's certificate expires.
   *
   * @return the end of its validity, or empty if the server presented none
   */
  public Optional<Instant> peerNotAfter() {
    return Optional.ofNullable(peerNotAfter);
  }

  @Override
  public String toString() {
    return protocol + " " + cipherSuite + (peerSubject != null ? ", " + peerSubject : "");
  }

  private static @Nullable X509Certificate peer(SSLSession session) {
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate
          ? (X509Certificate) chain[0]
          : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private static List<String> alternativeNames(X509Certificate certificate) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> all = certificate.getSubjectAlternativeNames();
      if (all != null) {
        for (List<?> entry : all) {
          Object type = entry.get(0);
          if (Integer.valueOf(2).equals(type)
              || Integer.valueOf(7).equals(type)) { // dNSName, iPAddress
            names.add(String.valueOf(entry.get(1)));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // unreadable extension: report no names
    }
    return List.copyOf(names);
  }
}
