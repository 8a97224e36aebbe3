package io.streamgru.app.versions;

import io.streamgru.app.config.EnvironmentException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.GroupState;

/**
 * Whether one of StreamGRU's Kafka Streams applications runs: its group has members. For the
 * optimizer's ({@code <app>-optimizer}): then a live optimizer owns the version numbers and a
 * publisher must ask it ({@link VersionRequest}) rather than write versions itself. For the
 * learners' ({@code <app>}): then replay must not write their state. Read from the group's state as
 * the group coordinator lists it, which works for the classic and the {@code streams} group
 * protocol alike.
 */
public final class ApplicationGroup {

    /** States in which a group has no members. */
    private static final Set<GroupState> MEMBERLESS = Set.of(GroupState.EMPTY, GroupState.DEAD, GroupState.UNKNOWN);

    private ApplicationGroup() {
    }

    /**
     * True when group {@code groupId} has members. A member that died without leaving counts until
     * its session times out; a request sent then waits for the instance that takes over.
     */
    public static boolean hasMembers(Admin admin, String groupId) throws InterruptedException {
        try {
            Optional<GroupListing> listing = admin.listGroups().all().get().stream()
                    .filter(g -> g.groupId().equals(groupId)).findFirst();
            return listing.flatMap(GroupListing::groupState).map(s -> !MEMBERLESS.contains(s)).orElse(false);
        } catch (ExecutionException e) {
            throw new EnvironmentException("cannot list the consumer groups to see whether '" + groupId + "' runs ("
                    + e.getCause().getMessage() + "): the principal needs DESCRIBE on the group", e.getCause());
        }
    }
}
