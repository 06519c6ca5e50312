package io.twinlog.readside.group;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which member indexes which partition of the event log: as even as the count allows (no member
 * more than one partition above another), and each partition where its index is furthest along, so
 * that an instance that returns, or a rebalance that moves little, rebuilds little; between equals,
 * with the member that owns it now. A pure function of the members' reports, so every leader of the
 * group would plan the same.
 */
final class OwnerPlan {

    /**
     * A member of the group: its id in the group, its URL and how far it indexed each partition.
     */
    record Member(String memberId, String url, Map<Integer, Long> indexed, Set<Integer> owned) {
        Member(String memberId, String url, Map<Integer, Long> indexed) {
            this(memberId, url, indexed, Set.of());
        }
    }

    private OwnerPlan() {}

    /** The partitions each member indexes, by member id. */
    static Map<String, List<Integer>> plan(List<Integer> partitions, List<Member> members) {
        Map<String, List<Integer>> plan = new TreeMap<>();
        if (members.isEmpty()) {
            return plan;
        }
        List<Member> ordered = new ArrayList<>(members);
        ordered.sort(Comparator.comparing(Member::url).thenComparing(Member::memberId));
        ordered.forEach(m -> plan.put(m.memberId(), new ArrayList<>()));
        Quota quota = new Quota(partitions.size(), ordered.size());

        // Ties (an index of a partition another member owns now, as complete as the owner's) stay
        // with the owner: a plan moves nothing it does not have to.
        record Progress(int partition, int member, long offset, boolean owned) {}
        List<Progress> progress = new ArrayList<>();
        for (int p : partitions) {
            for (int m = 0; m < ordered.size(); m++) {
                long offset = ordered.get(m).indexed().getOrDefault(p, 0L);
                boolean owned = ordered.get(m).owned().contains(p);
                if (offset > 0 || owned) {
                    progress.add(new Progress(p, m, offset, owned));
                }
            }
        }
        progress.sort(
                Comparator.comparingLong(Progress::offset)
                        .reversed()
                        .thenComparing(Progress::owned, Comparator.reverseOrder())
                        .thenComparingInt(Progress::partition)
                        .thenComparingInt(Progress::member));
        Map<Integer, Integer> owner = new HashMap<>();
        for (Progress candidate : progress) {
            String id = ordered.get(candidate.member()).memberId();
            if (!owner.containsKey(candidate.partition()) && quota.take(plan.get(id).size())) {
                owner.put(candidate.partition(), candidate.member());
                plan.get(id).add(candidate.partition());
            }
        }
        for (int p : partitions.stream().sorted().toList()) {
            if (owner.containsKey(p)) {
                continue;
            }
            for (Member member :
                    ordered.stream()
                            .sorted(Comparator.comparingInt(m -> plan.get(m.memberId()).size()))
                            .toList()) {
                if (quota.take(plan.get(member.memberId()).size())) {
                    owner.put(p, ordered.indexOf(member));
                    plan.get(member.memberId()).add(p);
                    break;
                }
            }
        }
        plan.values().forEach(list -> list.sort(Integer::compare));
        return plan;
    }

    /** Each member gets the floor of partitions per member; the remainder one more each. */
    private static final class Quota {
        private final int floor;
        private int extras;

        Quota(int partitions, int members) {
            this.floor = partitions / members;
            this.extras = partitions % members;
        }

        boolean take(int held) {
            if (held < floor) {
                return true;
            }
            if (held == floor && extras > 0) {
                extras--;
                return true;
            }
            return false;
        }
    }
}
