package chat.caravan.core;

import static chat.caravan.core.MessageLimitsRestTest.ddpResult;
import static chat.caravan.core.MessageLimitsRestTest.methodCall;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The message pipeline (routes/core/message-pipeline.yaml): the bad-words step censors a message whatever path it
 * came by, and a step written in YAML refuses a message with a Rocket.Chat error, 400 on REST and a Meteor error
 * through method.call. This class edits the before-save route, so it has a context of its own, closed after it.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class, properties = "caravan.test.context=message-pipeline")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class MessagePipelineRestTest extends CoreRestTestBase {

    /** The route as an integrator would edit it: the packaged step, then a link filter and a failing spam checker. */
    private static final String GUARDED_BEFORE_SAVE = """
            - route:
                id: message-before-save
                from:
                  uri: direct:message.beforeSave
                  steps:
                    - to: bean:badWordsFilter?method=censor
                    - choice:
                        when:
                          - simple: "${body[msg]} contains 'evil.example'"
                            steps:
                              - throwException:
                                  exceptionType: chat.caravan.common.error.RouteRejection
                                  message: "error-link-not-allowed: Links to that site are not allowed"
                          - simple: "${header.caravanEvent} == 'update' && ${body[msg]} contains 'redact-me'"
                            steps:
                              - script:
                                  simple: "${body.put('msg', '[redacted]')}"
                          - simple: "${body[msg]} contains 'spam-check'"
                            steps:
                              - throwException:
                                  exceptionType: java.lang.IllegalStateException
                                  message: "the spam checker is down"
            """;

    @Autowired
    CamelContext camel;

    @AfterEach
    void filterOff() {
        setting("Message_AllowBadWordsFilter", false);
        setting("Message_BadWordsFilterList", "");
    }

    private static String channel(Client owner) {
        return owner.post("/api/v1/channels.create", Map.of("name", unique("pipe"))).json().path("channel").path("_id").asText();
    }

    @Test
    void badWordsAreCensoredOnEveryRestAndMethodCallPath() throws Exception {
        setting("Message_BadWordsFilterList", "darn,heck");
        setting("Message_AllowBadWordsFilter", true);
        Client alice = newUser("pipe");
        String rid = channel(alice);

        Reply posted = alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "darn it"));
        assertThat(posted.json().path("message").path("msg").asText()).as(posted.toString()).isEqualTo("**** it");

        Reply sent = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "oh heck")));
        assertThat(sent.json().path("message").path("msg").asText()).as(sent.toString()).isEqualTo("oh ****");

        Reply updated = alice.post("/api/v1/chat.update", Map.of("roomId", rid,
                "msgId", sent.json().path("message").path("_id").asText(), "text", "heck again"));
        assertThat(updated.json().path("message").path("msg").asText()).as(updated.toString()).isEqualTo("**** again");

        JsonNode viaMethod = ddpResult(methodCall(alice, "sendMessage", Map.of("rid", rid, "msg", "darn method")));
        assertThat(viaMethod.path("result").path("msg").asText()).as(viaMethod.toString()).isEqualTo("**** method");

        String id = viaMethod.path("result").path("_id").asText();
        JsonNode edit = ddpResult(methodCall(alice, "updateMessage", Map.of("_id", id, "rid", rid, "msg", "heck edited")));
        assertThat(edit.has("error")).as(edit.toString()).isFalse();
        Reply stored = alice.get("/api/v1/chat.getMessage?msgId=" + id);
        assertThat(stored.json().path("message").path("msg").asText()).isEqualTo("**** edited");

        FilesRestTest.Raw upload = FilesRestTest.multipart(alice, "/api/v1/rooms.upload/" + rid, "file", "notes.txt",
                "some notes".getBytes(), Map.of("msg", "darn file"));
        assertThat(upload.status()).as(upload.text()).isEqualTo(200);
        assertThat(JSON.readTree(upload.text()).path("message").path("msg").asText()).as("a file message").isEqualTo("**** file");

        Reply room = alice.get("/api/v1/channels.info?roomId=" + rid);
        assertThat(room.json().path("channel").path("lastMessage").path("msg").asText())
                .as("the room's last message is the stored one").isEqualTo("**** file");
    }

    @Test
    void aYamlStepRefusesWithARocketChatErrorOnRestAndMethodCall() throws Exception {
        camel.getRouteController().stopRoute("message-before-save");
        camel.removeRoute("message-before-save");
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("guarded-before-save.yaml", GUARDED_BEFORE_SAVE));
        Client alice = newUser("reject");
        String rid = channel(alice);

        Reply refused = alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", "see https://evil.example/x"));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.json().path("success").asBoolean(true)).isFalse();
        assertThat(refused.json().path("errorType").asText()).isEqualTo("error-link-not-allowed");
        assertThat(refused.json().path("error").asText()).isEqualTo("Links to that site are not allowed [error-link-not-allowed]");

        JsonNode viaMethod = ddpResult(methodCall(alice, "sendMessage", Map.of("rid", rid, "msg", "evil.example again")));
        assertThat(viaMethod.path("error").path("error").asText()).as(viaMethod.toString()).isEqualTo("error-link-not-allowed");
        assertThat(viaMethod.path("error").path("reason").asText()).isEqualTo("Links to that site are not allowed");

        Reply failing = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "spam-check me")));
        assertThat(failing.status()).as("any failure of a before-save step refuses, never a 500: " + failing).isEqualTo(400);
        assertThat(failing.json().path("errorType").asText()).isEqualTo("error-message-rejected");

        Reply ok = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "fine")));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        Reply redacted = alice.post("/api/v1/chat.update", Map.of("roomId", rid,
                "msgId", ok.json().path("message").path("_id").asText(), "text", "please redact-me"));
        assertThat(redacted.json().path("message").path("msg").asText()).as("a YAML step changed the edit: " + redacted)
                .isEqualTo("[redacted]");
        Reply badEdit = alice.post("/api/v1/chat.update", Map.of("roomId", rid,
                "msgId", ok.json().path("message").path("_id").asText(), "text", "evil.example"));
        assertThat(badEdit.json().path("errorType").asText()).as(badEdit.toString()).isEqualTo("error-link-not-allowed");

        Reply history = alice.get("/api/v1/channels.messages?roomId=" + rid);
        assertThat(history.body()).doesNotContain("evil.example").doesNotContain("spam-check");
    }

    @Test
    void listenersGetEverySavedAndDeletedMessageInTheOrderTheyWereSaved() throws Exception {
        Client alice = newUser("listen");
        String rid = channel(alice);
        List<String> quick = new CopyOnWriteArrayList<>();
        List<String> slow = new CopyOnWriteArrayList<>();
        List<String> deleted = new CopyOnWriteArrayList<>();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("topic:message.saved").routeId("test-listener-quick")
                        .filter(simple("${body[rid]} == '" + rid + "'"))
                        .process(exchange -> quick.add((String) exchange.getIn().getBody(Map.class).get("msg")));
                from("topic:message.saved").routeId("test-listener-slow")
                        .filter(simple("${body[rid]} == '" + rid + "'"))
                        .process(exchange -> {
                            Thread.sleep(ThreadLocalRandom.current().nextInt(3));
                            // a listener's copy is its own: changing it changes nothing for the others
                            @SuppressWarnings("unchecked")
                            Map<String, Object> message = exchange.getIn().getBody(Map.class);
                            slow.add((String) message.put("msg", "changed by the slow listener"));
                        });
                from("topic:message.deleted").routeId("test-listener-deleted")
                        .filter(simple("${body[rid]} == '" + rid + "'"))
                        .process(exchange -> deleted.add((String) exchange.getIn().getBody(Map.class).get("_id")));
            }
        });
        try {
            List<String> sent = new ArrayList<>();
            String firstId = null;
            for (int i = 0; i < 30; i++) {
                String text = "in order " + i;
                Reply posted = alice.post("/api/v1/chat.postMessage", Map.of("roomId", rid, "text", text));
                assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
                firstId = firstId == null ? posted.json().path("message").path("_id").asText() : firstId;
                sent.add(text);
            }
            Reply removed = alice.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", firstId));
            assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while ((quick.size() < 30 || slow.size() < 30 || deleted.isEmpty()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(quick).isEqualTo(sent);
            assertThat(slow).isEqualTo(sent);
            assertThat(deleted).containsExactly(firstId);
        } finally {
            for (String route : List.of("test-listener-quick", "test-listener-slow", "test-listener-deleted")) {
                camel.getRouteController().stopRoute(route);
                camel.removeRoute(route);
            }
        }
    }
}
