package io.servicemanager.config;

import java.nio.file.Path;

/**
 * config.yaml after defaults and validation (DESIGN §2).
 *
 * @param bus "system", "user" or a D-Bus address such as {@code unix:path=/run/user/1000/bus}
 * @param servicesFile absolute, resolved against the config file's folder
 * @param historyFile absolute, resolved against the config file's folder
 */
public record AppConfig(String httpHost, int httpPort, String bus, Path servicesFile, Path historyFile) {}
