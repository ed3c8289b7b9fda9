package dev.parley.server.cluster;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;

/** What the cluster tests share: a NATS cluster made empty again between tests. */
final class Networks {
    private Networks() {
    }

    private interface Removal {
        void run(Connection c) throws IOException, JetStreamApiException;
    }

    /**
     * Removes what the nodes made in {@code nats} (the stream of changes, the lease and shared
     * buckets, the snapshots), so the next test starts from an empty network. What was never
     * made is skipped.
     */
    static void forget(TestNats nats) throws IOException, InterruptedException {
        try (Connection c = Nats.connect(Options.builder().servers(nats.urlArray()).build())) {
            for (Removal r : new Removal[] {
                    x -> x.jetStreamManagement().deleteStream(ClusterNode.STREAM),
                    x -> x.keyValueManagement().delete(ClusterNode.LEASES),
                    x -> x.keyValueManagement().delete(ClusterNode.SHARED),
                    x -> x.objectStoreManagement().delete(ClusterNode.SNAPSHOTS)}) {
                try {
                    r.run(c);
                } catch (JetStreamApiException e) {
                    // not made
                }
            }
        }
    }
}
