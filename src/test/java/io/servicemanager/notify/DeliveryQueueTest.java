package io.servicemanager.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeliveryQueueTest {
  @Test
  @DisplayName("Below capacity nothing is dropped and entries come out oldest first")
  void fifo() {
    DeliveryQueue<String> queue = new DeliveryQueue<>(3);
    assertThat(queue.offer("a")).isFalse();
    assertThat(queue.offer("b")).isFalse();
    assertThat(queue.offer("c")).isFalse();
    assertThat(queue.dropped()).isZero();
    assertThat(queue.poll()).isEqualTo("a");
    assertThat(queue.poll()).isEqualTo("b");
    assertThat(queue.poll()).isEqualTo("c");
    assertThat(queue.poll()).isNull();
  }

  @Test
  @DisplayName("When full, each new entry drops the oldest one, and every drop is counted")
  void overflowDropsOldest() {
    DeliveryQueue<Integer> queue = new DeliveryQueue<>(1_000);
    int dropsSeen = 0;
    for (int i = 0; i < 1_250; i++) {
      if (queue.offer(i)) {
        dropsSeen++;
      }
    }
    assertThat(dropsSeen).isEqualTo(250);
    assertThat(queue.dropped()).isEqualTo(250);
    assertThat(queue.size()).isEqualTo(1_000);
    assertThat(queue.poll()).as("the newest 1 000 are kept").isEqualTo(250);
  }

  @Test
  @DisplayName("A queue holds at least one entry")
  void capacity() {
    assertThatThrownBy(() -> new DeliveryQueue<>(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
