/**
 * The SMTP client engine shared by the session, send and check packages (transport, pipelined
 * transaction, timeouts, tracing, failure classification) and small shared helpers. Not part of the
 * API: exported to no other smarthost module, only to jakarta.mail, which instantiates the
 * transport reflectively.
 */
@NullMarked
package dev.smarthost.core.internal;

import org.jspecify.annotations.NullMarked;
