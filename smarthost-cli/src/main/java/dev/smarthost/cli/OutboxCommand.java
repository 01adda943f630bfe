package dev.smarthost.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smarthost.SmarthostOutboxException;
import dev.smarthost.cli.report.Report;
import dev.smarthost.core.outbox.FileOutbox;
import dev.smarthost.core.outbox.Outbox;
import dev.smarthost.core.outbox.OutboxEntry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code smarthost outbox list|retry ID|retry-all|purge-dead --dir D}: looks at and repairs a file
 * outbox, also while the application that owns it runs (it picks retried entries up within
 * seconds).
 */
@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    description =
        "Show or repair a file outbox: list, retry ID (dead or pending: tried now), retry-all,"
            + " purge-dead (safe while the application runs).",
    footerHeading = "%nExamples:%n",
    footer = {
      "  smarthost outbox /var/lib/app/outbox list",
      "  smarthost outbox /var/lib/app/outbox retry ID",
      "  smarthost outbox /var/lib/app/outbox retry-all"
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:the outbox could not be read or the entry was not found",
      "2:bad usage or unreadable configuration (the message names the option, or the file, line and key)"
    })
class OutboxCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ACTION",
      description = "list | retry | retry-all | purge-dead")
  String action = "list";

  @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The entry to retry.")
  @org.jspecify.annotations.Nullable
  String id;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description = "The outbox directory.")
  Path dir = Path.of(".");

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (!List.of("list", "retry", "retry-all", "purge-dead").contains(action)) {
      throw new UsageException(
          "outbox: unknown action '" + action + "'; use list, retry ID, retry-all or purge-dead");
    }
    if (!Files.isDirectory(dir.resolve("pending")) || !Files.isDirectory(dir.resolve("dead"))) {
      throw new UsageException("--dir: " + dir + " is not an outbox (no pending/ and dead/)");
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      return act(out);
    } catch (SmarthostOutboxException e) {
      // one line: the directory and what is wrong with it (another owner, a link, group-writable)
      spec.commandLine().getErr().println("smarthost: " + e.getMessage());
      return ExitCodes.FAILED;
    }
  }

  private int act(PrintWriter out) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    int exit = ExitCodes.OK;
    Outbox outbox = FileOutbox.inspect(dir);
    switch (action) {
      case "list" -> {
        List<OutboxEntry> pending = outbox.pending();
        List<OutboxEntry> dead = outbox.dead();
        if (json) {
          entries(root.putArray("pending"), pending);
          entries(root.putArray("dead"), dead);
        } else {
          out.printf(Locale.ROOT, "Pending: %d%n", pending.size());
          pending.forEach(e -> out.println("  " + line(e)));
          out.printf(Locale.ROOT, "Dead: %d%n", dead.size());
          dead.forEach(e -> out.println("  " + line(e)));
        }
      }
      case "retry" -> {
        if (id == null) {
          throw new UsageException(
              "retry: give the ID of a dead or pending entry (see outbox list)");
        }
        boolean moved = outbox.retry(id);
        root.put("retried", moved ? 1 : 0);
        if (!json) {
          out.println(moved ? "Retrying " + id + " now" : "No dead or pending entry " + id);
        }
        exit = moved ? ExitCodes.OK : ExitCodes.FAILED;
      }
      case "retry-all" -> {
        int n = outbox.retryAll();
        root.put("retried", n);
        if (!json) {
          out.println("Retrying " + n + " entr" + (n == 1 ? "y" : "ies") + " now");
        }
      }
      case "purge-dead" -> {
        int purged = outbox.purgeDead();
        root.put("purged", purged);
        if (!json) {
          out.println("Deleted " + purged + " dead entr" + (purged == 1 ? "y" : "ies"));
        }
      }
      default -> {
        throw new UsageException(
            "outbox: unknown action; use list, retry ID, retry-all or purge-dead");
      }
    }
    if (json) {
      out.println(root);
    }
    out.flush();
    return exit;
  }

  private static String line(OutboxEntry e) {
    return e.id()
        + "  enqueued "
        + e.enqueuedAt()
        + ", "
        + e.attempts()
        + " attempt(s), "
        + e.recipients().size()
        + " recipient(s)"
        + e.lastFailure()
            .map(f -> ", " + f.kind() + f.reply().map(r -> " — " + r).orElse(""))
            .orElse("");
  }

  private static void entries(ArrayNode array, List<OutboxEntry> list) {
    for (OutboxEntry e : list) {
      ObjectNode n = array.addObject();
      n.put("id", e.id());
      n.put("enqueuedAt", e.enqueuedAt().toString());
      n.put("attempts", e.attempts());
      n.put("nextAttemptAt", e.nextAttemptAt().toString());
      ArrayNode r = n.putArray("recipients");
      e.recipients().forEach(r::add);
      n.put("size", e.size());
      n.set(
          "lastFailure",
          e.lastFailure()
              .<com.fasterxml.jackson.databind.JsonNode>map(Report::failure)
              .orElse(JsonNodeFactory.instance.nullNode()));
    }
  }
}
