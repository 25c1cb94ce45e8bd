package io.servicemanager.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** An enum constant as the configuration files write it: its name in lower case. */
public final class ConfigWords {
  private ConfigWords() {}

  public static String of(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }

  /** The constant written as {@code word}, exactly (no other case, no blanks). */
  public static <E extends Enum<E>> Optional<E> parse(E[] constants, String word) {
    return Arrays.stream(constants).filter(c -> of(c).equals(word)).findFirst();
  }
}
