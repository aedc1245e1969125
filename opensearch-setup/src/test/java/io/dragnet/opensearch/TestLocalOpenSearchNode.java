package io.dragnet.opensearch;

import io.dragnet.opensearch.client.OpenSearchClients;
import io.dragnet.opensearch.client.RestCaller;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.Json;
import io.dragnet.contracts.OpenSearchConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("integration")
class TestLocalOpenSearchNode
{
    @Test
    void startsReusesStopsAndStartsAgain(@TempDir Path root)
            throws Exception
    {
        DragnetHome home = new DragnetHome(root);
        assertThat(LocalOpenSearchNode.status(home)).isEqualTo("not installed");
        LocalOpenSearchNode node = LocalOpenSearchNode.startOrReuse(home);
        try {
            OpenSearchConnection connection = node.connection();
            assertThat(connection.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(Json.read(OpenSearchConnection.defaultFile(home), OpenSearchConnection.class)).isEqualTo(connection);

            OpenSearchClient client = OpenSearchClients.create(connection);
            try {
                assertThat(client.info().version().number()).isEqualTo(LocalOpenSearchNode.VERSION);
                assertThat(client.cluster().health().status().jsonValue()).isEqualTo("green");
            }
            finally {
                client._transport().close();
            }
            // TLS is on and the password is enforced.
            assertThat(RestCaller.asAdmin(new OpenSearchConnection(connection.endpoint(), "admin", "wrong", connection.caCertificate())).get("/").status()).isEqualTo(401);
            assertThat(LocalOpenSearchNode.status(home)).startsWith("running at " + connection.endpoint());

            // Node data, logs and configuration are reachable by the node's user only; index files are owner-only themselves.
            Path nodeFolder = home.engine("opensearch").resolve("node");
            for (Path folder : List.of(nodeFolder.resolve("data"), nodeFolder.resolve("logs"), nodeFolder.resolve("opensearch-" + LocalOpenSearchNode.VERSION + "/config"))) {
                assertThat(ownerOnly(folder)).as("%s is owner-only", folder).isTrue();
            }
            try (Stream<Path> files = Files.walk(nodeFolder.resolve("data"))) {
                assertThat(files.filter(file -> !ownerOnly(file)).toList()).as("data files readable by group or others").isEmpty();
            }

            LocalOpenSearchNode reused = LocalOpenSearchNode.startOrReuse(home);
            assertThat(reused.pid()).isEqualTo(node.pid());
            assertThat(reused.connection()).isEqualTo(connection);

            node.stop();
            assertThat(LocalOpenSearchNode.status(home)).startsWith("stopped");
            assertThat(Files.exists(OpenSearchConnection.defaultFile(home))).isFalse();

            node = LocalOpenSearchNode.startOrReuse(home);
            assertThat(node.pid()).isNotEqualTo(reused.pid());
            assertThat(RestCaller.asAdmin(node.connection()).get("/_cluster/health").ok()).isTrue();
        }
        finally {
            node.stop();
        }
        assertThat(LocalOpenSearchNode.stop(home)).isFalse();
    }

    private static boolean ownerOnly(Path file)
    {
        try {
            return Collections.disjoint(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS), EnumSet.of(
                    PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
