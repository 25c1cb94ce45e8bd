package io.servicemanager.web;

import io.servicemanager.auth.Identity;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What one identity may see of a service view: nothing of a service outside its list (for it, the
 * service does not exist), and for a viewer no actions ({@code allowed_actions: []}); the
 * {@code permissions} field keeps the service's level.
 */
final class IdentityViews {
  private IdentityViews() {}

  /** The view as {@code who} sees it, or null when the service does not exist for {@code who}. */
  static JsonObject view(JsonObject view, Identity who) {
    if (view == null || !who.sees(view.getString("name"))) {
      return null;
    }
    return who.mayAct() ? view : view.copy().put("allowed_actions", new JsonArray());
  }

  static JsonArray list(JsonArray views, Identity who) {
    JsonArray visible = new JsonArray();
    for (Object v : views) {
      JsonObject seen = view((JsonObject) v, who);
      if (seen != null) {
        visible.add(seen);
      }
    }
    return visible;
  }
}
