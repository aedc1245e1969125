package io.dragnet.sparkjobs;

import io.dragnet.anonymization.SharingKeys;
import io.dragnet.contracts.DragnetHome;
import io.dragnet.contracts.EnvironmentVariable;
import io.dragnet.contracts.OpenSearchConnection;
import io.dragnet.opensearch.client.OpenSearchEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which sharing key the index writer's pseudonyms use. */
class TestDocumentSinks
{
    @TempDir
    Path temp;

    @Test
    void aLocalNodesDocumentsUseTheKeyOfTheHomeThatNodeBelongsTo()
            throws Exception
    {
        DragnetHome home = new DragnetHome(temp.resolve("home"));
        Path connectionFile = OpenSearchConnection.defaultFile(home);
        assertThat(DocumentSinks.homeOf(connectionFile)).contains(home);
        assertThat(DocumentSinks.homeOf(temp.resolve("elsewhere/connection.json"))).isEmpty();

        OpenSearchEndpoint local = OpenSearchEndpoint.basic(new OpenSearchConnection(URI.create("https://127.0.0.1:9200"), "admin", "secret", null));
        Map<String, String> environment = Map.of(EnvironmentVariable.DRAGNET_OPENSEARCH_CONNECTION.name(), connectionFile.toString());
        SharingKeys keys = DocumentSinks.sharingKeys(environment, local).orElseThrow();
        Path keyFile = SharingKeys.localFile(home);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent()))).isEqualTo("rwx------");
        assertThat(keys.cryptoPan().anonymize("10.1.2.3")).isEqualTo(SharingKeys.loadOrCreate(keyFile).cryptoPan().anonymize("10.1.2.3"));
    }
}
