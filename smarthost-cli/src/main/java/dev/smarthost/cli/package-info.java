/** The {@code smarthost} command line: {@code check}, {@code send-test} and {@code demo}. */
@NullMarked
package dev.smarthost.cli;

import org.jspecify.annotations.NullMarked;
