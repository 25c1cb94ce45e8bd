package io.servicemanager.cli;

import java.nio.file.Path;

/** The polkit rule lists the units: a command that changes them says how to generate it again. */
final class PolkitReminder {
  private PolkitReminder() {}

  static void print(Path config) {
    System.out.println("The units changed: generate the polkit rule again (as root, for the account the manager runs as):");
    System.out.println("  service-manager polkit-rules --user service-manager --config " + config
        + " > /etc/polkit-1/rules.d/50-service-manager.rules");
  }
}
