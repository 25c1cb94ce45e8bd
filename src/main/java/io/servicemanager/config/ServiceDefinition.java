package io.servicemanager.config;

/**
 * One entry of services.yaml.
 *
 * @param name the key as written in services.yaml ({@code pzserver}, {@code worker@1})
 * @param unit the systemd unit it names ({@code pzserver.service})
 * @param logsAllowed {@code logs_allowed}: whoever may see the service may read its journal
 * @param confirmRestart {@code confirm_restart}: the dashboard asks before a restart
 */
public record ServiceDefinition(
    String name,
    String unit,
    String displayName,
    String description,
    Permission permission,
    boolean statusCheckAllowed,
    boolean logsAllowed,
    boolean confirmRestart) {

  /** Without the optional fields: no journal, no confirmation, as a file that leaves them out. */
  public ServiceDefinition(String name, String unit, String displayName, String description, Permission permission,
      boolean statusCheckAllowed) {
    this(name, unit, displayName, description, permission, statusCheckAllowed, false, false);
  }
}
