package io.servicemanager.config;

/**
 * One entry of services.yaml.
 *
 * @param name the key as written in services.yaml ({@code pzserver}, {@code worker@1})
 * @param unit the systemd unit it names ({@code pzserver.service})
 */
public record ServiceDefinition(
    String name,
    String unit,
    String displayName,
    String description,
    Permission permission,
    boolean statusCheckAllowed) {}
