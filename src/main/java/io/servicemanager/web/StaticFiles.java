package io.servicemanager.web;

import io.vertx.ext.web.handler.StaticHandler;

/** The dashboard's files (and the login form): no credentials, they carry no data. */
final class StaticFiles {
  private StaticFiles() {}

  /** @param webroot a folder, else the copy in the jar */
  static StaticHandler handler(String webroot) {
    // No long browser caching: after an upgrade the dashboard's modules must not mix old and new.
    return StaticHandler.create(webroot).setIndexPage("index.html").setCachingEnabled(false);
  }
}
