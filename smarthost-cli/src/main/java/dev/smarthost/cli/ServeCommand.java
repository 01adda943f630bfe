package dev.smarthost.cli;

import dev.smarthost.SmarthostResolver;
import dev.smarthost.cli.web.SettingsServer;
import dev.smarthost.core.check.SmtpConnectionValidator;
import dev.smarthost.core.session.SmtpOptions;
import dev.smarthost.core.settings.EnvFileSmarthostResolver;
import dev.smarthost.core.settings.EnvFileSmarthostStore;
import dev.smarthost.core.settings.FileMailInstanceDirectory;
import dev.smarthost.core.settings.MailInstanceDirectory;
import dev.smarthost.core.settings.SmarthostStore;
import dev.smarthost.redis.RedisMailInstanceDirectory;
import dev.smarthost.redis.RedisSmarthostResolver;
import dev.smarthost.redis.RedisSmarthostStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code smarthost serve}: the settings page, until interrupted. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve the settings page: validate, then save to the env file or Redis.",
    footerHeading = "%nExamples:%n",
    footer = {
      "  smarthost serve --env-file /etc/smarthost.env",
      "  smarthost serve --redis redis://127.0.0.1:6379 --listen 0.0.0.0:8025 \\",
      "      --allowed-host settings.example.org --token-file /etc/smarthost/page-token"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:stopped (Ctrl-C)",
      "1:the page could not start (the address is taken, the store is unreadable)",
      "2:bad usage or unreadable configuration (the message names the option, or the file, line and key)"
    })
final class ServeCommand implements Callable<Integer> {
  @Option(
      names = "--env-file",
      paramLabel = "FILE",
      description = "Store the settings in this env file.")
  @Nullable Path envFile;

  @Mixin RedisOption redis = new RedisOption();

  @Option(
      names = "--mail-instances",
      paramLabel = "FILE",
      description = "Mail instances file (with --env-file).")
  @Nullable Path mailInstances;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8025",
      description = "Address to listen on (default 127.0.0.1:8025).")
  String listen = "127.0.0.1:8025";

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Read the access token from FILE instead of generating one.")
  @Nullable Path tokenFile;

  @Option(
      names = "--allowed-host",
      paramLabel = "NAME",
      description =
          "Also answer requests for this host name (e.g. behind a reverse proxy); repeatable."
              + " Other Host headers get 421.")
  java.util.List<String> allowedHosts = new java.util.ArrayList<>();

  @Option(
      names = "--allowed-smtp-host",
      paramLabel = "HOST",
      description =
          "Let the page check (save, detect) only this SMTP host; repeatable. Default: any host.")
  java.util.List<String> allowedSmtpHosts = new java.util.ArrayList<>();

  @Mixin TrustStoreOption trust = new TrustStoreOption();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if ((envFile == null) == !redis.given()) {
      throw new UsageException("give one of --env-file or --redis");
    }
    String token = token();
    InetSocketAddress address = address();
    SmtpOptions options = options();
    SmarthostResolver resolver;
    SmarthostStore store;
    MailInstanceDirectory instances = null;
    if (envFile != null) {
      resolver = EnvFileSmarthostResolver.builder(envFile).optional(true).build();
      store = EnvFileSmarthostStore.of(envFile);
      if (mailInstances != null) {
        instances = FileMailInstanceDirectory.of(mailInstances);
      }
    } else {
      URI uri = redis.uri(spec.commandLine().getErr());
      KeyStore trusted = trust.load();
      try {
        RedisSmarthostResolver.Builder r = RedisSmarthostResolver.builder(uri);
        RedisMailInstanceDirectory.Builder d = RedisMailInstanceDirectory.builder(uri);
        if (trusted != null) {
          r.trustStore(trusted);
          d.trustStore(trusted);
          store = RedisSmarthostStore.create(uri, trusted);
        } else {
          store = RedisSmarthostStore.create(uri);
        }
        resolver = r.build();
        instances = d.build();
      } catch (IllegalArgumentException e) {
        throw new UsageException("--redis: not a usable Redis URI (" + e.getMessage() + ")");
      }
    }
    SmtpConnectionValidator validator =
        SmtpConnectionValidator.create(options).withDeadline(Duration.ofSeconds(30));
    try (SettingsServer server =
        new SettingsServer(address, allowedHosts, token, resolver, store, validator, instances)) {
      try {
        server.allowSmtpHosts(allowedSmtpHosts);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--allowed-smtp-host: " + e.getMessage());
      }
      PrintWriter out = spec.commandLine().getOut();
      String page = "http://" + listen.replaceFirst(":\\d+$", "") + ":" + server.port() + "/";
      // A token read from a file is the administrator's own; printing it would put it in logs.
      out.println("Settings page: " + page + (tokenFile == null ? "#token=" + token : ""));
      if (tokenFile != null) {
        out.println("Open it with #token=<the token in " + tokenFile + "> after the address.");
      }
      out.println(
          "Writes need the token (header " + SettingsServer.TOKEN_HEADER + "). Stop with Ctrl-C.");
      out.flush();
      new CountDownLatch(1).await();
    }
    return ExitCodes.OK;
  }

  private InetSocketAddress address() {
    int colon = listen.lastIndexOf(':');
    if (colon <= 0) {
      throw new UsageException("--listen: expected HOST:PORT, such as 127.0.0.1:8025");
    }
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    try {
      return new InetSocketAddress(host, Integer.parseInt(listen.substring(colon + 1)));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--listen: expected HOST:PORT, such as 127.0.0.1:8025");
    }
  }

  private String token() {
    if (tokenFile != null) {
      String t;
      try {
        t = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new UsageException(
            "--token-file: cannot read " + tokenFile + " (" + e.getClass().getSimpleName() + ")");
      }
      if (t.length() < 16) {
        throw new UsageException("--token-file: the token must have at least 16 characters");
      }
      return t;
    }
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private SmtpOptions options() {
    SmtpOptions.Builder b = SmtpOptions.builder();
    trust.applyTo(b);
    return b.build();
  }
}
