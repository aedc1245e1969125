package io.dragnet.cli;

import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.opensearch.LocalOpenSearchNode;
import io.dragnet.opensearch.OpenSearchSetup;
import io.dragnet.opensearch.client.OpenSearchClients;
import org.opensearch.client.opensearch.OpenSearchClient;

/**
 * The OpenSearch node that daily runs of a test write to: started under the home and set up, its connection file
 * named to the workflow's steps through the {@code dragnet.opensearch.connection} property. Closing stops the node
 * and restores the property.
 */
final class DailyRunNode
        implements AutoCloseable
{
    private static final String CONNECTION_PROPERTY = "dragnet.opensearch.connection";

    private final DragnetHome home;
    private final OpenSearchClient client;
    private final String previousConnection;

    private DailyRunNode(DragnetHome home, OpenSearchClient client, String previousConnection)
    {
        this.home = home;
        this.client = client;
        this.previousConnection = previousConnection;
    }

    static DailyRunNode start(DragnetHome home)
    {
        LocalOpenSearchNode node = LocalOpenSearchNode.startOrReuse(home);
        String previousConnection = System.getProperty(CONNECTION_PROPERTY);
        System.setProperty(CONNECTION_PROPERTY, OpenSearchConnection.defaultFile(home).toString());
        OpenSearchClient client = OpenSearchClients.create(node.connection());
        DailyRunNode started = new DailyRunNode(home, client, previousConnection);
        try {
            new OpenSearchSetup(client, OpenSearchSetup.Options.local()).apply();
        }
        catch (RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    OpenSearchClient client()
    {
        return client;
    }

    @Override
    public void close()
    {
        OpenSearchClients.close(client);
        if (previousConnection == null) {
            System.clearProperty(CONNECTION_PROPERTY);
        }
        else {
            System.setProperty(CONNECTION_PROPERTY, previousConnection);
        }
        LocalOpenSearchNode.stop(home);
    }
}
