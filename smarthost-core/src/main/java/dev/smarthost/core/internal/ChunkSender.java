package dev.smarthost.core.internal;

import jakarta.mail.MessagingException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * The CHUNKING (RFC 3030) half of a {@link PipelinedTransaction}: sends each BDAT chunk, the first
 * with the envelope if it is also the last (one round trip), else after the envelope's replies (a
 * refused sender costs no upload); pipelined chunks' replies are read after the last one.
 */
final class ChunkSender implements BdatStream.Sink {
  private final PipelinedTransaction tx;
  private final Envelope env;
  private boolean envelopeSent;
  private int pending;

  ChunkSender(PipelinedTransaction tx, Envelope env) {
    this.tx = tx;
    this.env = env;
  }

  @Override
  public void chunk(byte[] bytes, int length, boolean last) throws IOException {
    try {
      if (!envelopeSent) {
        envelopeSent = true;
        if (last && tx.pipelining && (tx.sendPartial || env.size() == 1)) {
          tx.writeEnvelope(env);
          tx.out.bdat(bytes, length, true);
          tx.out.flush();
          boolean accepted = tx.readEnvelope(env, false);
          int code = tx.outOfStep ? -1 : tx.transport.reply();
          if (!accepted) {
            throw tx.refused(env.refusal());
          }
          if (code != PipelinedTransaction.OK) {
            throw tx.bodyRefused(env, ".", code);
          }
          return;
        }
        if (tx.pipelining) {
          tx.writeEnvelope(env);
          tx.out.flush();
        }
        if (!tx.readEnvelope(env, !tx.pipelining)) {
          throw tx.refused(env.refusal());
        }
      }
      try {
        tx.out.bdat(bytes, length, last);
        pending++;
        if (!tx.pipelining || last) {
          readChunkReplies();
        }
      } catch (IOException broken) {
        // a server that refuses a chunk (552: too large) may close at once, under our next
        // write: its reply is the failure, not the broken connection
        MessagingException refusedChunk = replyAfterBrokenWrite();
        if (refusedChunk == null) {
          throw broken;
        }
        throw new PipelinedTransaction.Abort(refusedChunk);
      }
    } catch (MessagingException e) {
      throw new PipelinedTransaction.Abort(e);
    }
  }

  /** The first negative reply the server sent before it closed, if any; the connection is lost. */
  private @Nullable MessagingException replyAfterBrokenWrite() {
    try {
      for (int i = 0; i <= pending && !tx.outOfStep; i++) {
        int code = tx.transport.reply();
        if (code < 0) {
          break;
        }
        if (code != PipelinedTransaction.OK) {
          tx.outOfStep = true; // closed by the server: no RSET
          return tx.bodyRefused(env, "BDAT", code);
        }
      }
    } catch (MessagingException | RuntimeException e) {
      // nothing readable: the broken connection is the failure
    }
    tx.outOfStep = true;
    return null;
  }

  /** Reads every reply still due; the first refusal ends the message. */
  private void readChunkReplies() throws IOException, MessagingException {
    tx.out.flush();
    int failedCode = 0;
    for (; pending > 0 && !tx.outOfStep; pending--) {
      int code = tx.transport.reply();
      tx.outOfStep = code < 0;
      if (code != PipelinedTransaction.OK && failedCode == 0) {
        failedCode = code;
      }
    }
    if (failedCode != 0) {
      throw tx.bodyRefused(env, ".", failedCode);
    }
  }
}
