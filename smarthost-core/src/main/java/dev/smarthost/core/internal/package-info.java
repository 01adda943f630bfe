/** Implementation of smarthost-core; not exported (only to jakarta.mail, for reflection). */
@NullMarked
package dev.smarthost.core.internal;

import org.jspecify.annotations.NullMarked;
