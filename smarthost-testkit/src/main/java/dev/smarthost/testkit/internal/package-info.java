/** Implementation of the testkit; not exported. */
@NullMarked
package dev.smarthost.testkit.internal;

import org.jspecify.annotations.NullMarked;
