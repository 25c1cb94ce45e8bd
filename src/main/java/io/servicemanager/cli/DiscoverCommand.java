package io.servicemanager.cli;

import io.servicemanager.config.AppConfig;
import io.servicemanager.config.ConfigException;
import io.servicemanager.config.ConfigLoader;
import io.servicemanager.config.ConfigValidator;
import io.servicemanager.config.FileVersion;
import io.servicemanager.config.Permission;
import io.servicemanager.config.ServiceCatalogue;
import io.servicemanager.config.ServiceDefinition;
import io.servicemanager.confighistory.ChangeSummary;
import io.servicemanager.confighistory.ConfigFiles;
import io.servicemanager.confighistory.ConfigRollback;
import io.servicemanager.confighistory.UnifiedDiff;
import io.servicemanager.deploy.PolkitReminder;
import io.servicemanager.discover.Candidates;
import io.servicemanager.discover.ServiceEntry;
import io.servicemanager.discover.ServicesMerge;
import io.servicemanager.systemd.DbusSystemdClient;
import io.servicemanager.systemd.SystemdEvents;
import io.servicemanager.systemd.UnitInfo;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The service units that exist on a bus, as services.yaml entries at a least privilege: a fresh
 * file to prune, or ({@code --merge}) the units not configured yet added to an existing file,
 * whose own text is never touched, shown as a summary and a diff and written only with
 * {@code --write} — validated first, then atomically, so the running manager applies it like any edit.
 */
@Command(name = "discover", mixinStandardHelpOptions = true,
    description = {"Print a services.yaml for the service units that exist on a bus, or with --merge add the "
        + "units not configured yet to a services file (its existing text is kept as it is).",
        "systemd's own units (systemd-*, dbus, getty@, user@, …) are left out unless --include-system. "
            + "Bad input exits 2 with every error, nothing written."})
public final class DiscoverCommand implements Callable<Integer> {
  @Option(names = "--bus", paramLabel = "BUS",
      description = "system, user or a D-Bus address such as unix:path=/run/user/1000/bus (default: config.yaml's systemd.bus).")
  String bus;

  @Option(names = "--merge", paramLabel = "FILE", arity = "0..1", fallbackValue = "",
      description = "Add the units not configured yet to this services file (default: config.yaml's services_file) "
          + "and print the summary and the diff.")
  String merge;

  @Option(names = "--write", description = "With --merge: validate the result and write it (temporary file, then rename).")
  boolean write;

  @Option(names = "--pattern", paramLabel = "GLOB",
      description = "Only units whose name matches, e.g. 'pz*' (repeatable; with or without .service).")
  List<String> patterns = new ArrayList<>();

  @Option(names = "--level", paramLabel = "LEVEL", defaultValue = "restart",
      description = "permissions_required of the new entries: restart, start, stop or all (default: ${DEFAULT-VALUE}).")
  String level;

  @Option(names = "--include-system", description = "Also offer systemd's own and the base system's services.")
  boolean includeSystem;

  @Mixin
  ConfigOption config;

  @Spec
  CommandSpec spec;

  /** What was read before the bus is asked: bad input stops here. */
  private record Input(AppConfig app, Permission level, Candidates candidates, Path file, String text,
      ServiceCatalogue configured) {}

  @Override
  public Integer call() {
    if (write && merge == null) {
      throw new ParameterException(spec.commandLine(), "--write needs --merge: a fresh file is only printed");
    }
    Vertx vertx = Vertx.vertx();
    try {
      List<String> errors = new ArrayList<>();
      Input input = read(vertx, errors);
      if (!errors.isEmpty()) {
        System.err.println("discover: nothing was read from systemd and nothing was written:");
        errors.forEach(System.err::println);
        return RunCommand.INVALID_CONFIG;
      }
      String busName = bus != null ? bus : input.app().bus();
      List<UnitInfo> units;
      try {
        units = listServices(vertx, busName);
      } catch (RuntimeException e) {
        System.err.println("discover: cannot read systemd on bus " + busName + ": " + e.getMessage());
        return 1;
      }
      if (input.file() == null) {
        print(input.candidates().select(units, List.of()), input.level(), System.out);
        return 0;
      }
      return merge(vertx, input, units);
    } finally {
      vertx.close().await();
    }
  }

  private Input read(Vertx vertx, List<String> errors) {
    Permission permission = Permission.parse(level).orElse(null);
    if (permission == null) {
      errors.add("--level " + level + ": not a level (one of restart, start, stop, all)");
    }
    Candidates candidates = Candidates.of(patterns, includeSystem, errors);
    Path configFile = config.file.toAbsolutePath().normalize();
    AppConfig app = null;
    try {
      app = ConfigLoader.loadOptional(vertx, configFile, json -> ConfigValidator.validateApp(json, configFile.getParent())).await();
    } catch (ConfigException e) {
      errors.add(e.getMessage());
    }
    if (merge == null) {
      return new Input(app, permission, candidates, null, null, null);
    }
    Path file = !merge.isEmpty() ? Path.of(merge).toAbsolutePath().normalize() : app != null ? app.servicesFile() : null;
    if (file == null) {
      return new Input(app, permission, candidates, null, null, null);
    }
    String text = null;
    ServiceCatalogue configured = null;
    try {
      text = Files.readString(file);
      configured = ConfigLoader.loadServices(vertx, file).await();
    } catch (IOException e) {
      errors.add(file + ": cannot be read (" + e + ")");
    } catch (ConfigException e) {
      errors.add(e.getMessage());
    }
    return new Input(app, permission, candidates, file, text, configured);
  }

  private int merge(Vertx vertx, Input input, List<UnitInfo> units) {
    List<String> configuredUnits = input.configured().all().stream().map(ServiceDefinition::unit).toList();
    List<ServiceEntry> entries = input.candidates().select(units, configuredUnits).stream()
        .map(u -> ServiceEntry.of(u, input.level())).toList();
    if (entries.isEmpty()) {
      System.out.println("Nothing to add: every service unit that matches is configured in " + input.file() + ".");
      return 0;
    }
    String merged;
    try {
      merged = ServicesMerge.merge(input.text(), entries);
    } catch (ServicesMerge.Unmergeable e) {
      System.err.println("discover: " + input.file() + ": " + e.getMessage() + "; nothing was written");
      return RunCommand.INVALID_CONFIG;
    }
    Map<String, String> before = Map.of(ConfigFiles.SERVICES, input.text());
    Map<String, String> after = Map.of(ConfigFiles.SERVICES, merged);
    String label = "with " + entries.size() + " discovered unit" + (entries.size() == 1 ? "" : "s");
    System.out.println(input.file() + " → " + label + ": " + ChangeSummary.between(before, after));
    System.out.print(UnifiedDiff.of(before, input.file().getFileName().toString(), after, label));
    if (!write) {
      System.out.println("Nothing was written: add --write to apply it.");
      return 0;
    }
    List<String> problems = validate(vertx, input, merged);
    if (!problems.isEmpty()) {
      System.err.println("discover: the merged file does not validate, nothing was written:");
      problems.forEach(System.err::println);
      return RunCommand.INVALID_CONFIG;
    }
    ConfigRollback.replace(input.file(), merged);
    System.out.println("Wrote " + input.file() + ": a running manager applies it at once and keeps it as a new version.");
    PolkitReminder.between(input.text(), merged, config.file).ifPresent(System.out::print);
    return 0;
  }

  /** The real validators on a private copy, as start-up would read it; and the file must not have changed meanwhile. */
  private static List<String> validate(Vertx vertx, Input input, String merged) {
    List<String> problems = new ArrayList<>();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("service-manager-discover");
      Path copy = Files.writeString(dir.resolve(ConfigFiles.SERVICES), merged);
      ServiceCatalogue services = ConfigLoader.loadServices(vertx, copy).await();
      ConfigValidator.crossCheck(input.app(), services).forEach(problems::add);
      if (!Objects.equals(Files.readString(input.file()), input.text())) {
        problems.add(input.file() + ": changed while discover ran; run it again");
      }
    } catch (ConfigException e) {
      problems.addAll(e.errors());
    } catch (IOException e) {
      problems.add(e.toString());
    } finally {
      if (dir != null) {
        dir.resolve(ConfigFiles.SERVICES).toFile().delete();
        dir.toFile().delete();
      }
    }
    return problems;
  }

  private static List<UnitInfo> listServices(Vertx vertx, String bus) {
    DbusSystemdClient systemd = new DbusSystemdClient(vertx, bus);
    try {
      systemd.connect(new SystemdEvents() {
        @Override
        public void propertiesChanged(String path, Map<String, Object> changed) {}

        @Override
        public void disconnected(String reason) {}
      }).await();
      return systemd.listServices().await();
    } finally {
      systemd.close().await();
    }
  }

  static void print(List<UnitInfo> units, Permission level, PrintStream out) {
    out.println("# Generated by `service-manager discover`. Keep only the services you mean to share,");
    out.println("# then raise permissions_required where more than " + level.value() + " is wanted.");
    out.println("version: " + FileVersion.SERVICES.newest());
    out.println("services:");
    units.forEach(unit -> out.print(ServiceEntry.of(unit, level).snippet()));
  }
}
