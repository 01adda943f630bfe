package dev.smarthost.core.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;

/** Lazily builds the two socket factories one set of options needs: verifying and trust-all. */
public final class TlsSocketFactories {
  private final @Nullable KeyStore trustStore;
  private final @Nullable SSLContext sslContext;
  private final List<String> protocols;
  private volatile @Nullable SSLSocketFactory verifying;
  private volatile @Nullable SSLSocketFactory trustingAll;

  public TlsSocketFactories(
      @Nullable KeyStore trustStore, @Nullable SSLContext sslContext, List<String> protocols) {
    this.trustStore = trustStore;
    this.sslContext = sslContext;
    this.protocols = protocols;
  }

  public SSLSocketFactory get(boolean verify) {
    if (verify) {
      SSLSocketFactory f = verifying;
      if (f == null) {
        f = new SmarthostSocketFactory(verifyingContext().getSocketFactory(), protocols);
        verifying = f;
      }
      return f;
    }
    SSLSocketFactory f = trustingAll;
    if (f == null) {
      f =
          new SmarthostSocketFactory(
              context(new TrustManager[] {new TrustAllTrustManager()}).getSocketFactory(),
              protocols);
      trustingAll = f;
    }
    return f;
  }

  private SSLContext verifyingContext() {
    if (sslContext != null) {
      return sslContext;
    }
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore); // null selects the JDK's default trust store
      return context(tmf.getTrustManagers());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot initialize TLS trust: " + e.getMessage(), e);
    }
  }

  private static SSLContext context(TrustManager[] trustManagers) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trustManagers, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot initialize TLS: " + e.getMessage(), e);
    }
  }
}
