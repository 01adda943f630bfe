package dev.smarthost.core.session;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/** A trust store from the certificates of a PEM file. */
final class PemTrust {
  private PemTrust() {}

  static KeyStore read(Path pemFile) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pemFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "trustCertificates: cannot read " + pemFile + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "trustCertificates: " + pemFile + " holds no readable X.509 certificate (PEM)", e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException(
          "trustCertificates: " + pemFile + " holds no certificate (expected PEM blocks)");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot hold the certificates in a key store", e);
    }
  }
}
