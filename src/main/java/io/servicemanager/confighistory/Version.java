package io.servicemanager.confighistory;

import java.time.Instant;

/**
 * One accepted configuration: a commit of the history repository.
 *
 * @param rev the short commit id, unique in the repository
 * @param id the full commit id
 * @param message the product's summary of the change
 */
public record Version(String rev, String id, Instant at, String message) {}
