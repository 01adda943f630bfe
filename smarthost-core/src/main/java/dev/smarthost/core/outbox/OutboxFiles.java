package dev.smarthost.core.outbox;

import dev.smarthost.SmtpFailure;
import dev.smarthost.SmtpFailureCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * The file format of {@code FileOutbox}: a message file (magic line, header lines, blank line, the
 * message bytes, with length and CRC-32 so that a torn or damaged file is recognised) and an
 * optional state file (attempts, next attempt, recipients left, last failure) as properties.
 */
final class OutboxFiles {
  static final String MAGIC = "SMARTHOST-OUTBOX 1";

  private OutboxFiles() {}

  /** The header of a message file. */
  public static final class Header {
    public final Instant enqueuedAt;
    public final List<String> recipients;
    public final long length;

    Header(Instant enqueuedAt, List<String> recipients, long length) {
      this.enqueuedAt = enqueuedAt;
      this.recipients = List.copyOf(recipients);
      this.length = length;
    }
  }

  /** A message file's bytes. */
  public static byte[] encode(Instant enqueuedAt, List<String> recipients, byte[] message) {
    CRC32 crc = new CRC32();
    crc.update(message);
    StringBuilder h = new StringBuilder(MAGIC).append('\n');
    h.append("enqueued=").append(enqueuedAt.toEpochMilli()).append('\n');
    h.append("length=").append(message.length).append('\n');
    h.append("crc32=").append(Long.toHexString(crc.getValue())).append('\n');
    for (String r : recipients) {
      if (r.indexOf('\n') >= 0 || r.indexOf('\r') >= 0) {
        throw new IllegalArgumentException("recipients: a line break in " + r.strip());
      }
      h.append("rcpt=").append(r).append('\n');
    }
    h.append('\n');
    byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[header.length + message.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(message, 0, all, header.length, message.length);
    return all;
  }

  /** Reads and checks a whole message file; the message bytes go to {@code content} if given. */
  public static Header read(Path file, @Nullable OutputStream content) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return read(in, content);
    }
  }

  /** Reads and checks an encoded message; the message bytes go to {@code content} if given. */
  public static Header read(InputStream in, @Nullable OutputStream content) throws IOException {
    try {
      if (!MAGIC.equals(line(in))) {
        throw new IOException("not an outbox message (no " + MAGIC + " line)");
      }
      long enqueued = -1;
      long length = -1;
      String crc = null;
      List<String> recipients = new ArrayList<>();
      for (String line = line(in); !line.isEmpty(); line = line(in)) {
        int eq = line.indexOf('=');
        String key = eq < 0 ? line : line.substring(0, eq);
        String value = eq < 0 ? "" : line.substring(eq + 1);
        switch (key) {
          case "enqueued" -> enqueued = Long.parseLong(value);
          case "length" -> length = Long.parseLong(value);
          case "crc32" -> crc = value;
          case "rcpt" -> recipients.add(value);
          default -> {
            // a later version's field: ignore
          }
        }
      }
      if (enqueued < 0 || length < 0 || crc == null || recipients.isEmpty()) {
        throw new IOException("incomplete header");
      }
      CRC32 check = new CRC32();
      byte[] buffer = new byte[8192];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          throw new IOException("truncated: " + left + " of " + length + " bytes missing");
        }
        check.update(buffer, 0, n);
        if (content != null) {
          content.write(buffer, 0, n);
        }
        left -= n;
      }
      if (in.read() >= 0) {
        throw new IOException("longer than its header says");
      }
      if (!Long.toHexString(check.getValue()).equals(crc)) {
        throw new IOException("CRC-32 mismatch: the file is damaged");
      }
      return new Header(Instant.ofEpochMilli(enqueued), recipients, length);
    } catch (NumberFormatException e) {
      throw new IOException("bad number in the header: " + e.getMessage(), e);
    }
  }

  /** The message bytes of a message file. */
  public static byte[] content(Path file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    read(file, out);
    return out.toByteArray();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new IOException("truncated header");
      }
      if (b.size() > 4096) {
        throw new IOException("header line too long");
      }
      b.write(c);
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  /**
   * Writes {@code bytes} to a new file in {@code tmp}, forces it to disk, renames it to {@code
   * target}.
   */
  public static void writeDurably(Path tmp, Path target, byte[] bytes) throws IOException {
    Files.deleteIfExists(tmp); // a leftover (or a link put there) is never written through
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
            PrivateFiles.fileAttributes(tmp))) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        ch.write(buffer);
      }
      ch.force(false);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }

  /**
   * Forces a directory's entries (a rename into it) to disk. Only the default file system has
   * directories that can be opened for this; others (in-memory) have nothing to force.
   */
  public static void forceDirectory(Path dir) throws IOException {
    if (dir.getFileSystem() != FileSystems.getDefault()) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  /** The state file's properties for this delivery state. */
  public static Properties state(
      int attempts, Instant next, List<String> recipients, @Nullable SmtpFailure failure) {
    Properties p = new Properties();
    p.setProperty("attempts", Integer.toString(attempts));
    p.setProperty("next", Long.toString(next.toEpochMilli()));
    for (int i = 0; i < recipients.size(); i++) {
      p.setProperty("rcpt." + i, recipients.get(i));
    }
    if (failure != null) {
      p.putAll(SmtpFailureCodec.OUTBOX_FILE.encode(failure));
    }
    return p;
  }

  /** The recipients in a state file, or the header's if it lists none. */
  public static List<String> recipients(Properties state, List<String> fallback) {
    List<String> r = new ArrayList<>();
    for (int i = 0; state.getProperty("rcpt." + i) != null; i++) {
      r.add(state.getProperty("rcpt." + i));
    }
    return r.isEmpty() ? fallback : r;
  }

  /** The failure in a state file, or null. */
  public static @Nullable SmtpFailure failure(Properties state) {
    // checkState refused a malformed code before the state was used
    return SmtpFailureCodec.OUTBOX_FILE.decode(state::getProperty).orElse(null);
  }

  /** Writes a state file through a temporary file and a rename; not forced to disk. */
  public static void writeState(Path tmp, Path target, Properties state) throws IOException {
    Files.deleteIfExists(tmp);
    try (OutputStream out =
        Channels.newOutputStream(
            FileChannel.open(
                tmp,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PrivateFiles.fileAttributes(tmp)))) {
      state.store(out, null);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Reads a state file (never through a link) and checks it; empty properties if there is none.
   *
   * @throws IOException if it cannot be read or a value is malformed (see {@link #checkState})
   */
  public static Properties readState(Path file) throws IOException {
    Properties p = new Properties();
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        p.load(in);
      }
    }
    checkState(p);
    return p;
  }

  /**
   * Checks every value of a delivery state before it is used or stored: a malformed one (a hand
   * edit, a bit flip) is refused whole instead of failing whoever reads it later.
   *
   * @throws IOException naming the key and the value's problem
   */
  public static void checkState(Properties p) throws IOException {
    number(p, "attempts", 0, Integer.MAX_VALUE);
    number(p, "next", 0, Long.MAX_VALUE);
    number(p, SmtpFailureCodec.OUTBOX_FILE.codeKey(), 0, 599);
    for (String key : p.stringPropertyNames()) {
      String v = p.getProperty(key);
      if (key.startsWith("rcpt.")
          && (v.isEmpty() || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0)) {
        throw new IOException("state: " + key + " is empty or has a line break");
      }
    }
  }

  private static void number(Properties p, String key, long min, long max) throws IOException {
    String v = p.getProperty(key);
    if (v == null) {
      return;
    }
    try {
      long n = Long.parseLong(v);
      if (n < min || n > max) {
        throw new IOException("state: " + key + " must be " + min + " to " + max);
      }
    } catch (NumberFormatException e) {
      throw new IOException("state: " + key + " is not a number", e);
    }
  }
}
