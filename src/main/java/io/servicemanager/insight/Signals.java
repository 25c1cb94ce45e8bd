package io.servicemanager.insight;

import java.util.List;

/** Signal names by number, as Linux numbers them on x86-64 and arm64 (and as {@code kill -l} prints them). */
public final class Signals {
  private static final List<String> NAMES = List.of("", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE",
      "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN",
      "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");
  /** glibc keeps 32 and 33 for itself, so real-time signals start at 34. */
  private static final int RTMIN = 34;
  private static final int RTMAX = 64;

  private Signals() {}

  /** "KILL" for 9, "RTMIN+2" for 36, "RTMAX" for 64; null for a number that is no signal here. */
  public static String name(int number) {
    if (number >= 1 && number < NAMES.size()) {
      return NAMES.get(number);
    }
    if (number == RTMIN) {
      return "RTMIN";
    }
    if (number == RTMAX) {
      return "RTMAX";
    }
    if (number > RTMIN && number < RTMAX) {
      // kill -l's own split: the first half counts up from RTMIN, the second down from RTMAX.
      return number <= RTMIN + 15 ? "RTMIN+" + (number - RTMIN) : "RTMAX-" + (RTMAX - number);
    }
    return null;
  }
}
