package dev.smarthost.testkit;

/** What a reply a fault sends may hold: a 4xx or 5xx code and non-empty lines without CR. */
final class ReplyRules {
  private ReplyRules() {}

  static void check(int code, String text) {
    if (code < 400 || code > 599) {
      throw new IllegalArgumentException("code: must be a 4xx or 5xx reply, but was " + code);
    }
    if (text.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("text: lines are separated by \\n, without \\r");
    }
    if (text.isEmpty() || text.startsWith("\n") || text.endsWith("\n") || text.contains("\n\n")) {
      throw new IllegalArgumentException("text: must not be empty or have an empty line");
    }
  }
}
