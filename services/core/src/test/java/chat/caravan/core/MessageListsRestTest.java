package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A room's message lists (deleted, pinned, mentioning me, starred by me), reporting a message to the moderators,
 * URL previews, and message custom fields under Message_CustomFields.
 */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class MessageListsRestTest extends CoreRestTestBase {

    @Autowired
    MongoDatabase database;

    @AfterEach
    void customFieldsOff() {
        setting("Message_CustomFields_Enabled", false);
    }

    private static String channel(Client owner, Client member) {
        return owner.post("/api/v1/channels.create", Map.of("name", unique("lists"), "members", List.of(member.username())))
                .json().path("channel").path("_id").asText();
    }

    private static String send(Client client, String rid, String text) {
        return ThreadsRestTest.send(client, rid, text, null);
    }

    @Test
    void listsShowWhatWasDeletedPinnedMentionedAndStarred() {
        Client alice = newUser("la");
        Client bob = newUser("lb");
        String rid = channel(alice, bob);
        String deleted = send(alice, rid, "gone soon");
        String pinned = send(alice, rid, "pin me");
        String mention = send(alice, rid, "hello @" + bob.username());
        send(alice, rid, "plain");
        assertThat(alice.post("/api/v1/chat.delete", Map.of("roomId", rid, "msgId", deleted)).status()).isEqualTo(200);
        assertThat(alice.post("/api/v1/chat.pinMessage", Map.of("messageId", pinned)).status()).isEqualTo(200);
        assertThat(bob.post("/api/v1/chat.starMessage", Map.of("messageId", pinned)).status()).isEqualTo(200);

        JsonNode gone = bob.get("/api/v1/chat.getDeletedMessages?roomId=" + rid + "&since=2018-12-20T17:51:00.000Z").json();
        assertThat(gone.path("messages").size()).as(gone.toString()).isEqualTo(1);
        assertThat(gone.path("messages").get(0).path("_id").asText()).isEqualTo(deleted);
        assertThat(gone.path("messages").get(0).has("msg")).as("only ids").isFalse();

        JsonNode pins = bob.get("/api/v1/chat.getPinnedMessages?roomId=" + rid).json();
        assertThat(pins.path("messages").size()).as(pins.toString()).isEqualTo(1);
        assertThat(pins.path("messages").get(0).path("_id").asText()).isEqualTo(pinned);
        assertThat(pins.path("total").asInt()).isEqualTo(1);

        JsonNode mentions = bob.get("/api/v1/chat.getMentionedMessages?roomId=" + rid).json();
        assertThat(mentions.path("messages").size()).as(mentions.toString()).isEqualTo(1);
        assertThat(mentions.path("messages").get(0).path("_id").asText()).isEqualTo(mention);
        assertThat(alice.get("/api/v1/chat.getMentionedMessages?roomId=" + rid).json().path("messages").size()).isZero();

        assertThat(bob.get("/api/v1/chat.getStarredMessages?roomId=" + rid).json().path("messages").size()).isEqualTo(1);
        assertThat(alice.get("/api/v1/chat.getStarredMessages?roomId=" + rid).json().path("messages").size()).isZero();
    }

    @Test
    void listsOfARoomTheCallerCannotSeeAreRefused() {
        Client alice = newUser("sa");
        Client eve = newUser("se");
        String secret = alice.post("/api/v1/groups.create", Map.of("name", unique("secret"))).json().path("group").path("_id").asText();
        send(alice, secret, "private");

        Reply starred = eve.get("/api/v1/chat.getStarredMessages?roomId=" + secret);
        assertThat(starred.status()).isEqualTo(400);
        assertThat(starred.json().path("error").asText()).isEqualTo("error-not-allowed");
        assertThat(eve.get("/api/v1/chat.getMentionedMessages?roomId=" + secret).json().path("error").asText()).isEqualTo("error-not-allowed");
        assertThat(eve.get("/api/v1/chat.getPinnedMessages?roomId=" + secret).json().path("errorType").asText()).isEqualTo("error-not-allowed");
        assertThat(eve.get("/api/v1/chat.getDeletedMessages?roomId=" + secret + "&since=2018-12-20T17:51:00.000Z").status()).isEqualTo(400);
        assertThat(eve.get("/api/v1/chat.getURLPreview?roomId=" + secret + "&url=https://example.com").json().path("errorType").asText())
                .isEqualTo("error-not-allowed");

        assertThat(eve.get("/api/v1/chat.getMentionedMessages").json().path("errorType").asText()).isEqualTo("error-invalid-params");
        assertThat(eve.get("/api/v1/chat.getPinnedMessages").json().path("errorType").asText()).isEqualTo("error-roomId-param-not-provided");
        assertThat(eve.get("/api/v1/chat.getDeletedMessages?since=2018-12-20T17:51:00.000Z").json().path("errorType").asText())
                .isEqualTo("The required \"roomId\" query param is missing.");
        assertThat(alice.get("/api/v1/chat.getDeletedMessages?roomId=" + secret + "&since=InvalidDate").json().path("errorType").asText())
                .isEqualTo("The \"since\" query parameter must be a valid date.");
    }

    @Test
    void aReportIsStoredForTheModeratorsOnlyForMessagesTheReporterCanSee() {
        Client alice = newUser("ra");
        Client bob = newUser("rb");
        String rid = channel(alice, bob);
        String message = send(alice, rid, "something rude");

        assertThat(bob.post("/api/v1/chat.reportMessage", Map.of("messageId", message)).json().path("errorType").asText())
                .isEqualTo("invalid-params");
        Reply reported = bob.post("/api/v1/chat.reportMessage", Map.of("messageId", message, "description", "rude"));
        assertThat(reported.status()).as(reported.toString()).isEqualTo(200);
        Document report = database.getCollection("rocketchat_moderation_reports").find(Filters.eq("message._id", message)).first();
        assertThat(report).isNotNull();
        assertThat(report.getString("description")).isEqualTo("rude");
        assertThat(report.get("reportedBy", Document.class).getString("_id")).isEqualTo(bob.userId());
        assertThat(report.get("room", Document.class).getString("_id")).isEqualTo(rid);
        assertThat(report.get("message", Document.class).getString("msg")).isEqualTo("something rude");

        Client eve = newUser("re");
        Reply refused = eve.post("/api/v1/chat.reportMessage", Map.of("messageId",
                send(alice, alice.post("/api/v1/groups.create", Map.of("name", unique("g"))).json().path("group").path("_id").asText(), "x"),
                "description", "spam"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("error").asText()).isEqualTo("error-invalid-message_id");
    }

    @Test
    void urlPreviewOfALinkThatCannotBeFetchedIsTheUrlWithoutMetadata() {
        Client alice = newUser("ua");
        String rid = channel(alice, newUser("ub"));
        // .invalid never resolves (RFC 2606); UrlPreviewRestTest covers links that can be fetched
        JsonNode preview = alice.get("/api/v1/chat.getURLPreview?roomId=" + rid + "&url=https://nowhere.invalid/page").json();
        assertThat(preview.path("urlPreview").path("url").asText()).isEqualTo("https://nowhere.invalid/page");
        assertThat(preview.path("urlPreview").path("meta").isEmpty()).isTrue();
        assertThat(preview.path("urlPreview").path("ignoreParse").asBoolean()).isTrue();
        assertThat(alice.get("/api/v1/chat.getURLPreview?roomId=" + rid).json().path("errorType").asText()).isEqualTo("invalid-params");
    }

    @Test
    void customFieldsNeedTheSettingAndMustMatchTheSchema() {
        Client alice = newUser("ca");
        String rid = channel(alice, newUser("cb"));
        Reply disabled = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "x",
                "customFields", Map.of("priority", "low"))));
        assertThat(disabled.status()).isEqualTo(400);
        assertThat(disabled.json().path("error").asText()).isEqualTo("Custom fields not enabled");

        setting("Message_CustomFields_Enabled", true);
        setting("Message_CustomFields", "{\"properties\":{\"priority\":{\"type\":\"string\",\"nullable\":false,"
                + "\"enum\":[\"low\",\"medium\",\"high\"]}},\"required\":[\"priority\"]}");
        for (Map<String, Object> wrong : List.of(Map.<String, Object>of(), Map.<String, Object>of("field1", "value1"),
                Map.<String, Object>of("priority", "urgent"), Map.<String, Object>of("priority", "low", "extra", 1))) {
            Reply reply = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "x", "customFields", wrong)));
            assertThat(reply.status()).as(wrong.toString()).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).isEqualTo("Invalid custom fields");
        }
        Reply sent = alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "x",
                "customFields", Map.of("priority", "low"))));
        assertThat(sent.json().path("message").path("customFields").path("priority").asText()).as(sent.toString()).isEqualTo("low");
        String id = sent.json().path("message").path("_id").asText();

        Reply updated = alice.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", id, "text", "x",
                "customFields", Map.of("priority", "high")));
        assertThat(updated.json().path("message").path("customFields").path("priority").asText()).as(updated.toString()).isEqualTo("high");
        assertThat(alice.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", id, "text", "y",
                "customFields", Map.of("priority", "nope"))).status()).isEqualTo(400);
        // the same text and no custom fields: nothing changes, not even the edit time
        Document before = database.getCollection("rocketchat_message").find(Filters.eq("_id", id)).first();
        Reply unchanged = alice.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", id, "text", "x"));
        assertThat(unchanged.status()).isEqualTo(200);
        Document after = database.getCollection("rocketchat_message").find(Filters.eq("_id", id)).first();
        assertThat(after.getDate("editedAt")).isEqualTo(before.getDate("editedAt"));
        assertThat(after.get("customFields", Document.class).getString("priority")).isEqualTo("high");
    }
}
