/**
 * The smarthost settings model: {@link dev.smarthost.SmarthostSettings}, the {@link
 * dev.smarthost.SmarthostResolver} that supplies them, the one codec of the cluster's formats
 * ({@link dev.smarthost.SettingsCodec}), the one failure value ({@link dev.smarthost.SmtpFailure})
 * and the exceptions every smarthost module throws. This module has no run-time dependencies.
 */
@org.jspecify.annotations.NullMarked
module dev.smarthost.api {
  requires static transitive org.jspecify;

  exports dev.smarthost;
}
