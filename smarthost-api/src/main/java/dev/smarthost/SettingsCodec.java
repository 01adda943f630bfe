package dev.smarthost;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one place where the cluster's settings formats meet {@link SmarthostSettings}: each {@link
 * SettingsField} has a key in each spelling, and every reader and writer (env file, environment,
 * Redis hash, the settings page, the CLI, the testkit) decodes and encodes through it, so a new
 * field is added here once.
 *
 * <ul>
 *   <li>{@link #ENV_FILE}: {@code SMTP_ENABLED} ({@code 1} on; empty, {@code 0} or absent off),
 *       {@code SMTP_HOST}, {@code SMTP_PORT} (absent: the encryption's default), {@code
 *       SMTP_USERNAME}, {@code SMTP_PASSWORD}, {@code SMTP_ENCRYPTION} (absent: starttls), {@code
 *       SMTP_TLSVERIFY} ({@code 1} verify, empty or {@code 0} don't, absent verify), and for OAuth
 *       2.0 {@code SMTP_OAUTH2_TOKEN_URL}, {@code SMTP_OAUTH2_CLIENT_ID}, {@code
 *       SMTP_OAUTH2_CLIENT_SECRET}, {@code SMTP_OAUTH2_SCOPE} (with {@code SMTP_USERNAME} the
 *       mailbox and {@code SMTP_PASSWORD} empty).
 *   <li>{@link #REDIS}: hash fields {@code enabled} ({@code 1}/{@code 0}, absent off), {@code
 *       host}, {@code port} (absent 587), {@code username}, {@code password}, {@code encrypt_smtp}
 *       (absent starttls), {@code tls_verify} ({@code 1}/{@code 0}, absent verify), {@code
 *       oauth2_token_url}, {@code oauth2_client_id}, {@code oauth2_client_secret}, {@code
 *       oauth2_scope}.
 * </ul>
 *
 * <p>An empty value counts as absent. OAuth 2.0 is on when a token URL or client id is set; then
 * the token URL, client id, client secret and user name are required and a password is an error
 * naming both. A reader that does not know the {@code OAUTH2} keys ignores them; {@link #encode}
 * writes them only for OAuth 2.0 settings (the writers replace the whole file or hash, so none
 * stays behind).
 *
 * <p>Errors are {@link SmarthostConfigurationException}s that name the source, the key in its
 * spelling and the {@link SettingsField}; a password is never part of a message.
 */
public final class SettingsCodec {
  /** The cluster's env file and the environment it is passed as. */
  public static final SettingsCodec ENV_FILE =
      new SettingsCodec(
          "env file",
          keys(
              Map.entry(SettingsField.ENABLED, "SMTP_ENABLED"),
              Map.entry(SettingsField.HOST, "SMTP_HOST"),
              Map.entry(SettingsField.PORT, "SMTP_PORT"),
              Map.entry(SettingsField.ENCRYPTION, "SMTP_ENCRYPTION"),
              Map.entry(SettingsField.VERIFY_TLS, "SMTP_TLSVERIFY"),
              Map.entry(SettingsField.USERNAME, "SMTP_USERNAME"),
              Map.entry(SettingsField.PASSWORD, "SMTP_PASSWORD"),
              Map.entry(SettingsField.OAUTH2_TOKEN_URL, "SMTP_OAUTH2_TOKEN_URL"),
              Map.entry(SettingsField.OAUTH2_CLIENT_ID, "SMTP_OAUTH2_CLIENT_ID"),
              Map.entry(SettingsField.OAUTH2_CLIENT_SECRET, "SMTP_OAUTH2_CLIENT_SECRET"),
              Map.entry(SettingsField.OAUTH2_SCOPE, "SMTP_OAUTH2_SCOPE")),
          "",
          "1 (on), or 0 or empty (off)",
          "1 (verify), or 0 or empty (don't)",
          null);

  /** The cluster's Redis hash {@code cluster/smarthost}. */
  public static final SettingsCodec REDIS =
      new SettingsCodec(
          "redis",
          keys(
              Map.entry(SettingsField.ENABLED, "enabled"),
              Map.entry(SettingsField.HOST, "host"),
              Map.entry(SettingsField.PORT, "port"),
              Map.entry(SettingsField.ENCRYPTION, "encrypt_smtp"),
              Map.entry(SettingsField.VERIFY_TLS, "tls_verify"),
              Map.entry(SettingsField.USERNAME, "username"),
              Map.entry(SettingsField.PASSWORD, "password"),
              Map.entry(SettingsField.OAUTH2_TOKEN_URL, "oauth2_token_url"),
              Map.entry(SettingsField.OAUTH2_CLIENT_ID, "oauth2_client_id"),
              Map.entry(SettingsField.OAUTH2_CLIENT_SECRET, "oauth2_client_secret"),
              Map.entry(SettingsField.OAUTH2_SCOPE, "oauth2_scope")),
          "0",
          "1 or 0",
          "1 or 0",
          587);

  private final String name;
  private final Map<SettingsField, String> keys;
  private final String off;
  private final String enabledValues;
  private final String verifyValues;
  private final @Nullable Integer defaultPort;

  private SettingsCodec(
      String name,
      Map<SettingsField, String> keys,
      String off,
      String enabledValues,
      String verifyValues,
      @Nullable Integer defaultPort) {
    this.name = name;
    this.keys = keys;
    this.off = off;
    this.enabledValues = enabledValues;
    this.verifyValues = verifyValues;
    this.defaultPort = defaultPort;
  }

  /** Each field's key, by name: a new or reordered field cannot take another's key. */
  @SafeVarargs
  private static Map<SettingsField, String> keys(Map.Entry<SettingsField, String>... named) {
    Map<SettingsField, String> keys = new EnumMap<>(SettingsField.class);
    for (Map.Entry<SettingsField, String> e : named) {
      if (keys.put(e.getKey(), e.getValue()) != null) {
        throw new IllegalStateException(e.getKey() + " has two keys");
      }
    }
    if (keys.size() != SettingsField.values().length) {
      throw new IllegalStateException("a field has no key: " + keys.keySet());
    }
    return keys;
  }

  /**
   * Returns the key of a field in this spelling.
   *
   * @param field the field
   * @return for example {@code SMTP_PORT} or {@code port}
   */
  public String key(SettingsField field) {
    // every field has a key: checked when the codec was made
    return Objects.requireNonNull(keys.get(field), "key");
  }

  /**
   * Decodes values from a source without lines (the environment, a Redis hash).
   *
   * @param source where the values came from, for messages, e.g. {@code environment}
   * @param values keys in this spelling to their values; other keys are ignored
   * @return the settings, or empty if e-mail is switched off
   * @throws SmarthostConfigurationException naming the source, key and field of an invalid value
   */
  public Optional<SmarthostSettings> decode(String source, Map<String, String> values) {
    return decode(source, values, Map.of());
  }

  /**
   * Decodes values from a file, so that an error names the line of the key at fault.
   *
   * @param source the file, for messages
   * @param values keys in this spelling to their values; other keys are ignored
   * @param lines keys to the 1-based line they were read from
   * @return the settings, or empty if e-mail is switched off
   * @throws SmarthostConfigurationException naming the source, line, key and field of an invalid
   *     value
   */
  public Optional<SmarthostSettings> decode(
      String source, Map<String, String> values, Map<String, Integer> lines) {
    return new Decoding(source, values, lines).settings();
  }

  /**
   * Encodes settings as the keys of this spelling, in the order the cluster writes them; the {@code
   * OAUTH2} keys only for {@link Authentication#OAUTH2}.
   *
   * @param settings the settings
   * @return keys to values, the password and client secret included
   */
  public Map<String, String> encode(SmarthostSettings settings) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(key(SettingsField.ENABLED), "1");
    values.put(key(SettingsField.HOST), settings.host());
    values.put(key(SettingsField.PORT), Integer.toString(settings.port()));
    values.put(key(SettingsField.USERNAME), settings.username().orElse(""));
    values.put(key(SettingsField.PASSWORD), settings.password().orElse(""));
    values.put(key(SettingsField.ENCRYPTION), settings.encryption().configValue());
    values.put(key(SettingsField.VERIFY_TLS), settings.verifyTls() ? "1" : off);
    settings
        .oauth2Client()
        .ifPresent(
            client -> {
              values.put(key(SettingsField.OAUTH2_TOKEN_URL), client.tokenEndpoint().toString());
              values.put(key(SettingsField.OAUTH2_CLIENT_ID), client.clientId());
              values.put(key(SettingsField.OAUTH2_CLIENT_SECRET), client.clientSecret());
              values.put(key(SettingsField.OAUTH2_SCOPE), client.scope().orElse(""));
            });
    return values;
  }

  /**
   * Encodes "e-mail switched off": only the enabled key, so that no password stays behind.
   *
   * @return the enabled key to its off value
   */
  public Map<String, String> encodeDisabled() {
    return Map.of(key(SettingsField.ENABLED), off);
  }

  @Override
  public String toString() {
    return "SettingsCodec{" + name + "}";
  }

  /** One decoding: the values and where they came from. */
  private final class Decoding {
    private final String source;
    private final Map<String, String> values;
    private final Map<String, Integer> lines;

    Decoding(String source, Map<String, String> values, Map<String, Integer> lines) {
      this.source = source;
      this.values = values;
      this.lines = lines;
    }

    Optional<SmarthostSettings> settings() {
      String enabled = text(SettingsField.ENABLED);
      if (enabled.isEmpty() || enabled.equals("0")) {
        return Optional.empty();
      }
      if (!enabled.equals("1")) {
        throw error(SettingsField.ENABLED, quoted(enabled) + " is not " + enabledValues);
      }
      SmarthostSettings.Builder b = SmarthostSettings.builder();
      String host = text(SettingsField.HOST);
      if (host.isEmpty()) {
        throw error(SettingsField.HOST, "required when " + key(SettingsField.ENABLED) + "=1");
      }
      set(() -> b.host(host));
      String encryption = text(SettingsField.ENCRYPTION);
      if (!encryption.isEmpty()) {
        set(() -> b.encryption(Encryption.fromConfigValue(encryption)));
      }
      String port = text(SettingsField.PORT);
      if (!port.isEmpty()) {
        int value = port(port);
        set(() -> b.port(value));
      } else if (defaultPort != null) {
        b.port(defaultPort);
      }
      String verify = values.get(key(SettingsField.VERIFY_TLS));
      if (verify != null) {
        if (!verify.equals("1") && !verify.equals("0") && !verify.equals(off)) {
          throw error(SettingsField.VERIFY_TLS, quoted(verify) + " is not " + verifyValues);
        }
        b.verifyTls(verify.equals("1"));
      }
      String user = text(SettingsField.USERNAME);
      String password = text(SettingsField.PASSWORD);
      if (isOAuth2()) {
        OAuth2Client client = oauth2Client();
        if (!password.isEmpty()) {
          throw error(
              SettingsField.PASSWORD,
              "must be empty with OAuth 2.0 ("
                  + key(SettingsField.OAUTH2_TOKEN_URL)
                  + "): set either "
                  + key(SettingsField.PASSWORD)
                  + " or the OAuth 2.0 keys, not both");
        }
        if (user.isEmpty()) {
          throw error(
              SettingsField.USERNAME,
              "required with OAuth 2.0 (the mailbox that sends), because "
                  + key(SettingsField.OAUTH2_TOKEN_URL)
                  + " is set");
        }
        set(() -> b.oauth2(user, client));
        return Optional.of(b.build());
      }
      if (user.isEmpty() != password.isEmpty()) {
        throw user.isEmpty()
            ? error(SettingsField.USERNAME, requiredWhen(SettingsField.PASSWORD))
            : error(SettingsField.PASSWORD, requiredWhen(SettingsField.USERNAME));
      }
      set(() -> b.credentials(user, password));
      return Optional.of(b.build());
    }

    private boolean isOAuth2() {
      return !text(SettingsField.OAUTH2_TOKEN_URL).isEmpty()
          || !text(SettingsField.OAUTH2_CLIENT_ID).isEmpty()
          || !text(SettingsField.OAUTH2_CLIENT_SECRET).isEmpty();
    }

    private OAuth2Client oauth2Client() {
      String url = text(SettingsField.OAUTH2_TOKEN_URL);
      String id = text(SettingsField.OAUTH2_CLIENT_ID);
      String secret = text(SettingsField.OAUTH2_CLIENT_SECRET);
      for (SettingsField field :
          new SettingsField[] {
            SettingsField.OAUTH2_TOKEN_URL,
            SettingsField.OAUTH2_CLIENT_ID,
            SettingsField.OAUTH2_CLIENT_SECRET
          }) {
        if (text(field).isEmpty()) {
          throw error(field, "required with the other OAuth 2.0 keys");
        }
      }
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw error(SettingsField.OAUTH2_TOKEN_URL, quoted(url) + " is not a URL");
      }
      OAuth2Client[] client = new OAuth2Client[1];
      set(() -> client[0] = OAuth2Client.of(uri, id, secret, text(SettingsField.OAUTH2_SCOPE)));
      return client[0];
    }

    private String requiredWhen(SettingsField other) {
      return "required when " + key(other) + " is set";
    }

    private int port(String port) {
      int value;
      try {
        value = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw error(SettingsField.PORT, quoted(port) + " is not a number");
      }
      if (value < 1 || value > 65535) {
        throw error(SettingsField.PORT, quoted(port) + " is not a port (1–65535)");
      }
      return value;
    }

    private void set(Runnable setter) {
      try {
        setter.run();
      } catch (InvalidSettingException e) {
        throw error(e.field(), e.problem());
      }
    }

    private String text(SettingsField field) {
      String value = values.get(key(field));
      return value == null ? "" : value;
    }

    private SmarthostConfigurationException error(SettingsField field, String problem) {
      String key = key(field);
      Integer line = lines.get(key);
      return line != null && line > 0
          ? SmarthostConfigurationException.forField(source, line, key, field, problem)
          : SmarthostConfigurationException.forField(source, key, field, problem);
    }
  }

  /** A non-secret value quoted, with control characters escaped, shortened. */
  private static String quoted(String value) {
    StringBuilder b = new StringBuilder("'");
    for (int i = 0; i < value.length() && b.length() < 65; i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append(value.length() > 64 ? "…'" : "'").toString();
  }
}
