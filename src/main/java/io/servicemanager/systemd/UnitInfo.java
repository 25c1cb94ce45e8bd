package io.servicemanager.systemd;

/** A service unit systemd knows, as listed for {@code discover}. */
public record UnitInfo(String unit, String description, String activeState) {}
