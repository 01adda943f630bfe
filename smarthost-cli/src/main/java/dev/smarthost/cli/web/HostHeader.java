package dev.smarthost.cli.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Which {@code Host} headers the settings server answers: its listen address (and {@code localhost}
 * when that is loopback; every local address and the host name when it listens on all interfaces),
 * plus the names given with {@code --allowed-host}, each with the server's port. A browser sends
 * the name it resolved, so a page whose name was rebound to our address still sends its own name
 * and is refused.
 */
final class HostHeader {
  private HostHeader() {}

  static Set<String> allowed(InetSocketAddress bound, List<String> extraNames) {
    Set<String> names = new TreeSet<>();
    InetAddress address = bound.getAddress();
    if (address.isAnyLocalAddress()) {
      names.add("localhost");
      try {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          for (InetAddress a : Collections.list(nic.getInetAddresses())) {
            names.add(literal(a));
          }
        }
        names.add(InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT));
      } catch (SocketException | java.net.UnknownHostException e) {
        // the literal addresses found so far
      }
    } else {
      names.add(literal(address));
      if (address.isLoopbackAddress()) {
        names.add("localhost");
        names.add("127.0.0.1");
        names.add("[::1]");
      }
    }
    for (String name : extraNames) {
      names.add(name.toLowerCase(Locale.ROOT));
    }
    int port = bound.getPort();
    Set<String> withPort = new TreeSet<>();
    for (String name : names) {
      withPort.add(name + ":" + port);
      if (port == 80) {
        withPort.add(name);
      }
    }
    return Collections.unmodifiableSet(withPort);
  }

  static boolean accepted(@Nullable String host, Set<String> allowed) {
    return host != null && allowed.contains(host.strip().toLowerCase(Locale.ROOT));
  }

  private static String literal(InetAddress a) {
    String text = a.getHostAddress();
    int scope = text.indexOf('%');
    if (scope >= 0) {
      text = text.substring(0, scope);
    }
    return text.indexOf(':') >= 0 ? "[" + text + "]" : text;
  }
}
