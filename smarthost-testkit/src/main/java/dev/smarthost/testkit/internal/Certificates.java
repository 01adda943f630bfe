package dev.smarthost.testkit.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * A certificate authority made for one server, and the server certificates it issues: EC P-256,
 * SHA-256, subject alternative names set. Generated in memory at start; nothing is checked in.
 */
public final class Certificates {
  /** The names every good server certificate carries. */
  public static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "::1");

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] NO_PASSWORD = new char[0];

  private final KeyPair caKeys;
  private final X509Certificate caCertificate;

  private Certificates(KeyPair caKeys, X509Certificate caCertificate) {
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
  }

  /**
   * The key pairs of this JVM, made on first use: a CA certificate or server certificate costs two
   * signatures instead of a key generation each. A CA's identity for trust is its certificate (name
   * and chain), so two servers with different CA certificates still do not trust each other.
   */
  private static final class JvmKeys {
    static final KeyPair AUTHORITY = keyPair();
    static final KeyPair SERVER = keyPair();
  }

  /** Creates a new CA (a new certificate of the JVM's CA key pair) valid for 30 days from now. */
  public static Certificates newAuthority(String name) {
    KeyPair keys = JvmKeys.AUTHORITY;
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    X509Certificate ca =
        sign(
            subject,
            subject,
            keys.getPublic(),
            keys.getPrivate(),
            now.minus(Duration.ofHours(1)),
            now.plus(Duration.ofDays(30)),
            true,
            List.of(),
            null);
    return new Certificates(keys, ca);
  }

  public X509Certificate caCertificate() {
    return caCertificate;
  }

  /** A trust store holding only this CA. */
  public KeyStore trustStore() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("smarthost-testkit-ca", caCertificate);
      return store;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build trust store", e);
    }
  }

  /** A server context whose certificate this CA signed, for the given names and validity. */
  public SSLContext serverContext(List<String> names, Instant notBefore, Instant notAfter) {
    KeyPair keys = JvmKeys.SERVER;
    X509Certificate leaf = issue(keys, names, notBefore, notAfter);
    return context(keys.getPrivate(), new Certificate[] {leaf, caCertificate});
  }

  /** A key and certificate chain in PEM, for servers outside the JVM (Postfix). */
  public static final class Pem {
    public final String privateKey;
    public final String chain;

    Pem(String privateKey, String chain) {
      this.privateKey = privateKey;
      this.chain = chain;
    }
  }

  /** A server key and chain (leaf, CA) signed by this CA, in PEM. */
  public Pem serverPem(List<String> names, Instant notBefore, Instant notAfter) {
    KeyPair keys = keyPair();
    return pem(keys, issue(keys, names, notBefore, notAfter), caCertificate);
  }

  /** A self-signed server key and certificate, in PEM. */
  public static Pem selfSignedPem(List<String> names) {
    KeyPair keys = keyPair();
    return pem(keys, selfSigned(keys, names));
  }

  private static Pem pem(KeyPair keys, X509Certificate... chain) {
    try {
      // PKCS#8 (the JDK's encoding, with the curve): OpenSSL cannot read a SEC1 key without it.
      String key =
          "-----BEGIN PRIVATE KEY-----\n"
              + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                  .encodeToString(keys.getPrivate().getEncoded())
              + "\n-----END PRIVATE KEY-----\n";
      StringWriter certs = new StringWriter();
      try (JcaPEMWriter w = new JcaPEMWriter(certs)) {
        for (X509Certificate c : chain) {
          w.writeObject(c);
        }
      }
      return new Pem(key, certs.toString());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write PEM", e);
    }
  }

  private X509Certificate issue(
      KeyPair keys, List<String> names, Instant notBefore, Instant notAfter) {
    return sign(
        X500Name.getInstance(caCertificate.getSubjectX500Principal().getEncoded()),
        new X500Name("CN=" + names.get(0)),
        keys.getPublic(),
        caKeys.getPrivate(),
        notBefore,
        notAfter,
        false,
        names,
        caCertificate);
  }

  /** A good server context: loopback names, valid for a day. */
  public SSLContext serverContext() {
    Instant now = Instant.now();
    return serverContext(
        LOOPBACK_NAMES, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
  }

  /** A server context whose certificate signed itself: no trusted CA vouches for it. */
  public static SSLContext selfSignedContext(List<String> names) {
    KeyPair keys = keyPair();
    return context(keys.getPrivate(), new Certificate[] {selfSigned(keys, names)});
  }

  private static X509Certificate selfSigned(KeyPair keys, List<String> names) {
    X500Name subject = new X500Name("CN=" + names.get(0));
    Instant now = Instant.now();
    return sign(
        subject,
        subject,
        keys.getPublic(),
        keys.getPrivate(),
        now.minus(Duration.ofHours(1)),
        now.plus(Duration.ofDays(1)),
        false,
        names,
        null);
  }

  private static SSLContext context(PrivateKey key, Certificate[] chain) {
    try {
      KeyStore store = KeyStore.getInstance("JKS");
      store.load(null, null);
      store.setKeyEntry("server", key, NO_PASSWORD, chain);
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(store, NO_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, RANDOM);
      return context;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot build server TLS context", e);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate EC key", e);
    }
  }

  private static X509Certificate sign(
      X500Name issuer,
      X500Name subject,
      java.security.PublicKey publicKey,
      PrivateKey signingKey,
      Instant notBefore,
      Instant notAfter,
      boolean authority,
      List<String> names,
      @Nullable X509Certificate issuerCertificate) {
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(64, RANDOM).abs().add(BigInteger.ONE),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              publicKey);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey));
      if (issuerCertificate != null) {
        builder.addExtension(
            Extension.authorityKeyIdentifier,
            false,
            utils.createAuthorityKeyIdentifier(issuerCertificate));
      }
      if (authority) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(
            Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(names));
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signingKey)));
    } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
      throw new IllegalStateException("cannot sign certificate", e);
    }
  }

  private static GeneralNames alternativeNames(List<String> names) {
    List<GeneralName> result = new ArrayList<>();
    for (String name : names) {
      result.add(
          isAddress(name)
              ? new GeneralName(GeneralName.iPAddress, name)
              : new GeneralName(GeneralName.dNSName, name));
    }
    return new GeneralNames(result.toArray(new GeneralName[0]));
  }

  private static boolean isAddress(String name) {
    if (name.indexOf(':') >= 0) {
      return true;
    }
    if (!name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
      return false;
    }
    try {
      return InetAddress.getByName(name) != null;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
