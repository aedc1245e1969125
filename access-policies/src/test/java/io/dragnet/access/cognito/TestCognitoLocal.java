package io.dragnet.access.cognito;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestCognitoLocal
{
    @Test
    void readsThePortFromTheColouredStartLine()
    {
        String log = "(node:1) NOTE: The AWS SDK for JavaScript (v2) has reached end-of-support.\n"
                + "[1796540251023] \u001B[32mINFO\u001B[39m: \u001B[36mNONE NONE Cognito Local running on http://127.0.0.1:46359\u001B[39m\n";
        assertThat(CognitoLocal.listeningPort(log)).contains("46359");
        assertThat(CognitoLocal.listeningPort("starting\n")).isEmpty();
        // Only a loopback address counts: a server bound elsewhere is not the one dragnet asked for.
        assertThat(CognitoLocal.listeningPort("Cognito Local running on http://0.0.0.0:9229")).isEmpty();
    }
}
