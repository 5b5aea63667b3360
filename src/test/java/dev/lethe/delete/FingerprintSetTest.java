package dev.lethe.delete;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FingerprintSetTest {

    @Test
    void answersAsAHashSetDoesThroughAddsAndRemovalsThatWrapAroundTheArray() {
        Random random = new Random(42);
        int capacity = 64;
        FingerprintSet set = new FingerprintSet(capacity);
        Set<Long> expected = new HashSet<>();
        Deque<Long> order = new ArrayDeque<>();
        for (int i = 0; i < 200_000; i++) {
            // Few distinct values, so that runs collide, wrap and get removed from their middle.
            long value = random.nextInt(500) * 0x9e3779b97f4a7c15L;
            if (expected.size() == capacity || (random.nextInt(3) == 0 && !order.isEmpty())) {
                long gone = random.nextBoolean() ? order.pollFirst() : order.pollLast();
                expected.remove(gone);
                set.remove(gone);
            } else {
                assertThat(set.add(value)).isEqualTo(expected.add(value));
                if (!order.contains(value)) {
                    order.add(value);
                }
            }
            long probe = random.nextInt(500) * 0x9e3779b97f4a7c15L;
            assertThat(set.contains(probe)).as("step %d", i).isEqualTo(expected.contains(probe));
        }
    }

    @Test
    void holdsMoreThanItWasMadeForByGrowing() {
        FingerprintSet set = new FingerprintSet(4);
        for (long i = 1; i <= 10_000; i++) {
            assertThat(set.add(i * 0x9e3779b97f4a7c15L)).isTrue();
        }
        for (long i = 1; i <= 10_000; i++) {
            assertThat(set.contains(i * 0x9e3779b97f4a7c15L)).isTrue();
            set.remove(i * 0x9e3779b97f4a7c15L);
        }
        assertThat(set.contains(0x9e3779b97f4a7c15L)).isFalse();
    }

    @Test
    void zeroIsAFingerprintLikeAnyOther() {
        FingerprintSet set = new FingerprintSet(4);
        assertThat(set.add(0)).isTrue();
        assertThat(set.contains(0)).isTrue();
        set.remove(0);
        assertThat(set.contains(0)).isFalse();
    }
}
