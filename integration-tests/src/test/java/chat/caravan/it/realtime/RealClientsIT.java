package chat.caravan.it.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import chat.caravan.it.harness.NodeClients;
import chat.caravan.it.harness.Topology;
import org.junit.jupiter.api.Test;

/**
 * Rocket.Chat's own client library (@rocket.chat/ddp-client: DDPSDK and the legacy bot SDK) against Caravan: log
 * in, subscribe, receive a REST message (its delay printed), send by method, typing, a status change, a bot answering.
 */
class RealClientsIT {

    @Test
    void theRocketChatClientWorksAgainstTheAllInOne() {
        try (Topology topology = Topology.allInOne("real-clients-aio").start()) {
            assertScenarioPasses(topology.baseUrl());
        }
    }

    @Test
    void theRocketChatClientWorksAgainstTheMicroservicesBehindNginx() {
        try (Topology topology = Topology.microservices("real-clients-ms").start()) {
            assertScenarioPasses(topology.baseUrl());
        }
    }

    private static void assertScenarioPasses(String baseUrl) {
        NodeClients.Result result = NodeClients.run("scenario.mjs", 120, baseUrl, Topology.ADMIN_USERNAME,
                Topology.ADMIN_PASSWORD);
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("ok login-password", "ok stream-message", "ok login-resume",
                "ok send-by-method", "ok typing", "ok status-change", "ok bot-answers", "all passed");
    }
}
