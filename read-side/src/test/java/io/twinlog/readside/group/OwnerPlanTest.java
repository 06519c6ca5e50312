package io.twinlog.readside.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OwnerPlanTest {

    private static final List<Integer> SIX = List.of(0, 1, 2, 3, 4, 5);

    @Test
    void freshMembersShareThePartitionsEvenly() {
        Map<String, List<Integer>> plan =
                OwnerPlan.plan(
                        SIX,
                        List.of(
                                member("m-c", "http://c"),
                                member("m-a", "http://a"),
                                member("m-b", "http://b")));
        assertThat(plan)
                .containsEntry("m-a", List.of(0, 3))
                .containsEntry("m-b", List.of(1, 4))
                .containsEntry("m-c", List.of(2, 5));
    }

    @Test
    void aPartitionStaysWithTheMemberWhoseIndexIsFurthestAlong() {
        Map<String, List<Integer>> plan =
                OwnerPlan.plan(
                        SIX,
                        List.of(
                                member("m-a", "http://a", Map.of(4, 900L, 5, 800L)),
                                member("m-b", "http://b", Map.of(0, 10L, 1, 10L, 4, 100L)),
                                member("m-c", "http://c", Map.of(2, 50L, 3, 50L, 5, 900L))));
        // 4 and 5 where they are furthest; 3 only m-c had, which is full: the emptiest takes it
        assertThat(plan)
                .containsEntry("m-a", List.of(3, 4))
                .containsEntry("m-b", List.of(0, 1))
                .containsEntry("m-c", List.of(2, 5));
    }

    @Test
    void theSurvivorsOfALeaverTakeItsPartitionsAndKeepTheirOwn() {
        // a, b and c indexed two each; c is gone
        Map<String, List<Integer>> plan =
                OwnerPlan.plan(
                        SIX,
                        List.of(
                                member("m-a", "http://a", Map.of(0, 500L, 3, 500L)),
                                member("m-b", "http://b", Map.of(1, 500L, 4, 500L))));
        assertThat(plan.get("m-a")).contains(0, 3).hasSize(3);
        assertThat(plan.get("m-b")).contains(1, 4).hasSize(3);
    }

    @Test
    void betweenIndexesAsCompleteThePartitionStaysWithItsOwner() {
        // m-a indexed everything once, alone; m-b owns 1, 3 and 5 now, as far along
        Map<Integer, Long> all = Map.of(0, 70L, 1, 70L, 2, 70L, 3, 70L, 4, 70L, 5, 70L);
        Map<String, List<Integer>> plan =
                OwnerPlan.plan(
                        SIX,
                        List.of(
                                new OwnerPlan.Member("m-a", "http://a", all, Set.of(0, 2, 4)),
                                new OwnerPlan.Member("m-b", "http://b", all, Set.of(1, 3, 5))));
        assertThat(plan)
                .containsEntry("m-a", List.of(0, 2, 4))
                .containsEntry("m-b", List.of(1, 3, 5));
        // an empty partition (offset 0 everywhere) stays with its owner too
        assertThat(
                        OwnerPlan.plan(
                                List.of(0, 1),
                                List.of(
                                        new OwnerPlan.Member(
                                                "m-a", "http://a", Map.of(), Set.of(1)),
                                        new OwnerPlan.Member(
                                                "m-b", "http://b", Map.of(), Set.of(0)))))
                .containsEntry("m-a", List.of(1))
                .containsEntry("m-b", List.of(0));
    }

    @Test
    void moreMembersThanPartitionsLeaveSomeIdle() {
        Map<String, List<Integer>> plan =
                OwnerPlan.plan(
                        List.of(0, 1),
                        List.of(
                                member("m-a", "http://a"),
                                member("m-b", "http://b"),
                                member("m-c", "http://c")));
        assertThat(plan.values().stream().mapToInt(List::size).sum()).isEqualTo(2);
        assertThat(plan.get("m-c")).isEmpty();
    }

    @Test
    void everyPartitionHasOneOwnerAndTheSamePlanWhateverTheMembersOrder() {
        Random random = new Random(7);
        for (int round = 0; round < 500; round++) {
            int partitions = 1 + random.nextInt(24);
            int count = 1 + random.nextInt(6);
            List<OwnerPlan.Member> members = new ArrayList<>();
            for (int m = 0; m < count; m++) {
                Map<Integer, Long> indexed = new HashMap<>();
                for (int p = 0; p < partitions; p++) {
                    if (random.nextInt(3) == 0) {
                        indexed.put(p, (long) random.nextInt(4));
                    }
                }
                members.add(member("m-" + m, "http://i" + random.nextInt(count), indexed));
            }
            List<Integer> all = IntStream.range(0, partitions).boxed().toList();
            Map<String, List<Integer>> plan = OwnerPlan.plan(all, members);
            List<Integer> owned = new ArrayList<>();
            plan.values().forEach(owned::addAll);
            assertThat(owned).containsExactlyInAnyOrderElementsOf(all);
            int most = plan.values().stream().mapToInt(List::size).max().orElseThrow();
            int least = plan.values().stream().mapToInt(List::size).min().orElseThrow();
            assertThat(most - least).isLessThanOrEqualTo(1);
            List<OwnerPlan.Member> shuffled = new ArrayList<>(members);
            Collections.shuffle(shuffled, random);
            assertThat(OwnerPlan.plan(all, shuffled)).isEqualTo(plan);
        }
    }

    private static OwnerPlan.Member member(String id, String url) {
        return member(id, url, Map.of());
    }

    private static OwnerPlan.Member member(String id, String url, Map<Integer, Long> indexed) {
        return new OwnerPlan.Member(id, url, indexed);
    }
}
