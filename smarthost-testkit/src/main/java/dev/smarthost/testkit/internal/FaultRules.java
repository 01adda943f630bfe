package dev.smarthost.testkit.internal;

import dev.smarthost.Encryption;
import dev.smarthost.testkit.Fault;
import dev.smarthost.testkit.Fault.Condition;
import dev.smarthost.testkit.Fault.Drop;
import dev.smarthost.testkit.Fault.Limited;
import dev.smarthost.testkit.Fault.Reject;
import dev.smarthost.testkit.Fault.RejectRecipient;
import dev.smarthost.testkit.Fault.Stall;
import dev.smarthost.testkit.Fault.Step;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** How the server reads a {@link Fault}: where it acts, what it matches, what it answers. */
public final class FaultRules {
  private FaultRules() {}

  /** The fault without its use count. */
  public static Fault act(Fault fault) {
    return fault instanceof Limited limited ? limited.fault() : fault;
  }

  /** How often the fault acts; 0 for as long as it is set. */
  public static int uses(Fault fault) {
    return fault instanceof Limited limited ? limited.times() : 0;
  }

  /** The step a fault acts at, if it acts at one. */
  public static Optional<Step> step(Fault fault) {
    Fault f = act(fault);
    if (f instanceof Reject r) {
      return Optional.of(r.step());
    } else if (f instanceof RejectRecipient) {
      return Optional.of(Step.RCPT);
    } else if (f instanceof Stall s) {
      return Optional.of(s.step());
    } else if (f instanceof Drop d) {
      return Optional.of(d.step());
    }
    return Optional.empty();
  }

  /** Whether the fault acts on a command of any session rather than on new connections. */
  public static boolean transactional(Fault fault) {
    return step(fault).map(Step::transactional).orElse(false);
  }

  /** Whether the fault acts at this step (and for this recipient, at RCPT). */
  public static boolean matches(Fault fault, Step at, @Nullable String recipient) {
    Fault f = act(fault);
    if (f instanceof RejectRecipient r) {
      return at == Step.RCPT && r.address().equalsIgnoreCase(String.valueOf(recipient));
    }
    return step(f).orElse(null) == at;
  }

  /** Whether setting {@code fault} takes the place of {@code earlier}: same thing, same place. */
  public static boolean replaces(Fault fault, Fault earlier) {
    return slot(act(fault)).equals(slot(act(earlier)));
  }

  private static List<Object> slot(Fault f) {
    if (f instanceof RejectRecipient r) {
      return List.of(RejectRecipient.class, r.address());
    }
    return step(f).<List<Object>>map(s -> List.of(f.getClass(), s)).orElse(List.of(f));
  }

  /** Whether the fault swaps the server's certificate. */
  public static boolean isCertificate(Fault fault) {
    return act(fault) instanceof Condition c
        && (c == Condition.TLS_CERT_EXPIRED
            || c == Condition.TLS_CERT_WRONG_NAME
            || c == Condition.TLS_CERT_SELF_SIGNED);
  }

  /**
   * Returns the fault if this server can act on it.
   *
   * @throws IllegalStateException if a certificate fault is set on a server without TLS, or a
   *     missing STARTTLS on a server that does not offer it
   */
  public static Fault checkApplicable(Fault fault, Encryption encryption) {
    if (isCertificate(fault) && encryption == Encryption.NONE) {
      throw new IllegalStateException(fault + " needs a STARTTLS or TLS server");
    }
    if (act(fault) == Fault.NO_STARTTLS_OFFERED && encryption != Encryption.STARTTLS) {
      throw new IllegalStateException(fault + " needs a STARTTLS server");
    }
    return fault;
  }

  /** The reply a reject sends, as lines on the wire (without the final CRLF). */
  public static Optional<String> reply(Fault fault) {
    Fault f = act(fault);
    if (f instanceof Reject r) {
      return Optional.of(lines(r.code(), r.text()));
    } else if (f instanceof RejectRecipient r) {
      return Optional.of(lines(r.code(), r.text()));
    }
    return Optional.empty();
  }

  private static String lines(int code, String text) {
    String[] lines = text.split("\n");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      b.append(code).append(i == lines.length - 1 ? ' ' : '-').append(lines[i]);
      if (i < lines.length - 1) {
        b.append("\r\n");
      }
    }
    return b.toString();
  }
}
