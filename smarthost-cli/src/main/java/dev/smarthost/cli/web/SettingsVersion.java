package dev.smarthost.cli.web;

import dev.smarthost.SmarthostSettings;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ETag of stored settings: an HMAC of every field (the password included, so that a changed
 * password is a new version) under a key made for this server process, so that the tag reveals
 * nothing about the password even to someone who reads it without the token.
 */
final class SettingsVersion {
  private final SecretKeySpec key;

  SettingsVersion() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    this.key = new SecretKeySpec(random, "HmacSHA256");
  }

  String of(Optional<SmarthostSettings> settings) {
    if (settings.isEmpty()) {
      return tag("disabled");
    }
    SmarthostSettings s = settings.get();
    return tag(
        String.join(
            "\u0000",
            "enabled",
            s.host(),
            Integer.toString(s.port()),
            s.encryption().configValue(),
            Boolean.toString(s.verifyTls()),
            s.username().orElse(""),
            s.password().orElse("")));
  }

  String unreadable() {
    return tag("unreadable");
  }

  private String tag(String canonical) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
      return "\""
          + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22)
          + "\"";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
