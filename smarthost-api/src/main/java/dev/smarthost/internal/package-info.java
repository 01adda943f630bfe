/** Implementation details of the API module; not exported. */
@NullMarked
package dev.smarthost.internal;

import org.jspecify.annotations.NullMarked;
