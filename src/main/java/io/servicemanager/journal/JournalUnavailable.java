package io.servicemanager.journal;

/** The journal cannot be read: no journalctl, no journal, no permission, or no answer in time. */
final class JournalUnavailable extends Exception {
  JournalUnavailable(String message) {
    super(message, null, false, false);
  }
}
