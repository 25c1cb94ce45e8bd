package io.servicemanager.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Ports nobody listens on at this moment, for the demo's Hazelcast members on one host. */
final class FreePorts {
  private FreePorts() {}

  /**
   * {@code count} free ports on {@code host}: the first ones at or above {@code base}, or any the
   * system picks when {@code base} is 0. Checked by binding, so another process can still take one
   * before its node does; the node then fails to start and says so in its log.
   */
  static List<Integer> from(String host, int base, int count) throws IOException {
    InetAddress address = InetAddress.getByName(host);
    List<Integer> ports = new ArrayList<>();
    for (int port = base; ports.size() < count; port++) {
      if (base != 0 && port > 65535) {
        throw new IOException("fewer than " + count + " free ports from " + base + " to 65535 on " + host);
      }
      int free = tryBind(address, base == 0 ? 0 : port);
      if (free > 0 && !ports.contains(free)) {
        ports.add(free);
      }
    }
    return ports;
  }

  private static int tryBind(InetAddress address, int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, address)) {
      return socket.getLocalPort();
    } catch (IOException inUse) {
      return -1;
    }
  }
}
