package io.servicemanager.backup;

/** The release running, from the jar's manifest; {@code development} when run from compiled classes. */
public final class JarVersion {
  private JarVersion() {}

  public static String current() {
    String version = JarVersion.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
