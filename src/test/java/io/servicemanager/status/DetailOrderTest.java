package io.servicemanager.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.servicemanager.systemd.UnitSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DetailOrderTest {
  private static UnitSnapshot unit(String name, String active) {
    return new UnitSnapshot(name, "/u/" + name, Map.of(UnitSnapshot.LOAD_STATE, "loaded", UnitSnapshot.ACTIVE_STATE, active,
        UnitSnapshot.SUB_STATE, "x"));
  }

  @Test
  @DisplayName("Details are read in the dashboard's order: failed units first, then the rest, each in catalogue order")
  void failedFirst() {
    List<UnitSnapshot> states = List.of(unit("a", "active"), unit("b", "failed"), unit("c", "inactive"),
        unit("d", "active"), unit("e", "failed"));

    assertThat(DetailOrder.visibleFirst(states)).extracting(UnitSnapshot::unit).containsExactly("b", "e", "a", "c", "d");
  }

  @Test
  @DisplayName("Without a failed unit the catalogue order stays as it is")
  void catalogueOrder() {
    List<UnitSnapshot> states = List.of(unit("a", "active"), unit("b", "activating"), unit("c", "inactive"));

    assertThat(DetailOrder.visibleFirst(states)).containsExactlyElementsOf(states);
  }
}
