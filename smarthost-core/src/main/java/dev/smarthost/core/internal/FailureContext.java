package dev.smarthost.core.internal;

import dev.smarthost.SmarthostSettings;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link FailureClassifier#classify} is told besides the exception: who asks, with which
 * settings, and how far the conversation got. Callers describe; the classifier alone picks the
 * {@link dev.smarthost.FailureKind} and writes the hint.
 *
 * @param activity who asks
 * @param settings the settings in use; null where none are at hand (then only hints that need no
 *     settings are written)
 * @param connectTimeout the connect timeout the hints quote
 * @param trace how far the connection got; null if there was none or it is unknown (the classifier
 *     also finds the trace a failed pool connect carries)
 * @param resolved whether the host name was looked up before the failure
 * @param answersTls whether a second connection to the port completed a TLS handshake (asked after
 *     a missing greeting: a port that expects TLS greets no clear-text client)
 */
public record FailureContext(
    Activity activity,
    @Nullable SmarthostSettings settings,
    Duration connectTimeout,
    @Nullable ConnectionTrace trace,
    boolean resolved,
    boolean answersTls) {

  /** Who asks. */
  public enum Activity {
    /** The settings check, before a test message. */
    CHECKING,
    /** The settings check, sending its test message. */
    CHECKING_WITH_MESSAGE,
    /** The mailer, sending an application's message. */
    SENDING,
    /** An outbox, handing a stored message to the mailer or reading it back. */
    DISPATCHING
  }

  /** Checks the components. */
  public FailureContext {
    Objects.requireNonNull(activity, "activity");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
  }

  /** The settings check of these settings, before the host name is looked up. */
  public static FailureContext checking(SmarthostSettings settings, Duration connectTimeout) {
    return new FailureContext(Activity.CHECKING, settings, connectTimeout, null, false, false);
  }

  /** The mailer sending with these settings. */
  public static FailureContext sending(SmarthostSettings settings, Duration connectTimeout) {
    return new FailureContext(Activity.SENDING, settings, connectTimeout, null, true, false);
  }

  /** An outbox; no settings at hand. */
  public static FailureContext dispatching() {
    return new FailureContext(
        Activity.DISPATCHING, null, Duration.ofSeconds(10), null, true, false);
  }

  /** The same, for a connection that got this far. */
  public FailureContext withTrace(@Nullable ConnectionTrace t) {
    return new FailureContext(activity, settings, connectTimeout, t, resolved, answersTls);
  }

  /** The same, after the host name was looked up. */
  public FailureContext afterLookup() {
    return new FailureContext(activity, settings, connectTimeout, trace, true, answersTls);
  }

  /** The same, sending the check's test message. */
  public FailureContext withTestMessage() {
    return new FailureContext(
        Activity.CHECKING_WITH_MESSAGE, settings, connectTimeout, trace, resolved, answersTls);
  }

  /** The same, knowing that the port answered a TLS handshake on a second connection. */
  public FailureContext answeringTls() {
    return new FailureContext(activity, settings, connectTimeout, trace, resolved, true);
  }

  /** What the hints call the step that failed. */
  String phase() {
    return switch (activity) {
      case CHECKING_WITH_MESSAGE -> "sending the test message";
      case SENDING, DISPATCHING -> "sending";
      case CHECKING -> {
        if (trace == null || !trace.greeted()) {
          yield "the greeting";
        }
        if (settings != null && settings.hasCredentials() && !trace.authenticated()) {
          yield "EHLO, STARTTLS or authentication";
        }
        yield "the SMTP conversation";
      }
    };
  }
}
