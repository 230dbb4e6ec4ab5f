package chat.caravan.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** What the server does to a message's text and links: the bad words filter, previewUrls, quotes by link. */
@SpringBootTest(classes = CoreRestTestBase.App.class)
class MessageTextRulesRestTest extends CoreRestTestBase {

    private Object siteUrl;

    @org.junit.jupiter.api.BeforeEach
    void rememberSiteUrl() {
        siteUrl = settings.value("Site_Url");
    }

    @AfterEach
    void defaults() {
        setting("Site_Url", siteUrl);
        setting("Message_AllowBadWordsFilter", false);
        setting("Message_BadWordsFilterList", "");
        setting("Message_BadWordsWhitelist", "");
    }

    private static String channel(Client owner) {
        return owner.post("/api/v1/channels.create", Map.of("name", unique("text"))).json().path("channel").path("_id").asText();
    }

    private static JsonNode send(Client client, Map<String, Object> body) {
        Reply reply = client.post("/api/v1/chat.sendMessage", body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().path("message");
    }

    @Test
    void badWordsAreCensoredOnSendAndEditOnlyWhenTheFilterIsOn() {
        Client alice = newUser("bw");
        String rid = channel(alice);
        setting("Message_BadWordsFilterList", "badword, badword2,darn");
        assertThat(send(alice, Map.of("message", Map.of("rid", rid, "msg", "a badword here"))).path("msg").asText())
                .isEqualTo("a badword here");

        setting("Message_AllowBadWordsFilter", true);
        setting("Message_BadWordsWhitelist", "darn");
        JsonNode sent = send(alice, Map.of("message", Map.of("rid", rid, "msg", "This message has BadWord badword2, darn, badwords")));
        assertThat(sent.path("msg").asText()).isEqualTo("This message has ******* ********, darn, badwords");

        Reply edited = alice.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", sent.path("_id").asText(), "text", "now badword"));
        assertThat(edited.json().path("message").path("msg").asText()).as(edited.toString()).isEqualTo("now *******");
    }

    @Test
    void previewUrlsMarkTheOtherLinksNotToBeParsed() {
        Client alice = newUser("pu");
        String rid = channel(alice);
        String text = "https://a.example/x https://b.example/y https://a.example/x";
        JsonNode all = send(alice, Map.of("message", Map.of("rid", rid, "msg", text)));
        assertThat(all.path("urls").size()).as("each link once").isEqualTo(2);
        assertThat(all.path("urls").get(0).has("ignoreParse")).isFalse();

        JsonNode chosen = send(alice, Map.of("message", Map.of("rid", rid, "msg", text), "previewUrls", List.of("https://b.example/y")));
        assertThat(chosen.path("urls").get(0).path("ignoreParse").asBoolean()).isTrue();
        assertThat(chosen.path("urls").get(1).has("ignoreParse")).isFalse();
        assertThat(alice.post("/api/v1/chat.sendMessage", Map.of("message", Map.of("rid", rid, "msg", "x"), "previewUrls", "nope"))
                .json().path("errorType").asText()).isEqualTo("invalid-params");
    }

    @Test
    void aLinkToAReadableMessageBecomesAQuoteAndAnEditRebuildsQuotes() {
        setting("Site_Url", "http://chat.test");
        Client alice = newUser("qa");
        Client eve = newUser("qe");
        String rid = channel(alice);
        String quotedId = send(alice, Map.of("message", Map.of("rid", rid, "msg", "quote me"))).path("_id").asText();
        String link = "http://chat.test/channel/x?msg=" + quotedId;

        JsonNode quoting = send(alice, Map.of("message", Map.of("rid", rid, "msg", "see " + link)));
        assertThat(quoting.path("attachments").size()).as(quoting.toString()).isEqualTo(1);
        assertThat(quoting.path("attachments").get(0).path("message_link").asText()).isEqualTo(link);
        assertThat(quoting.path("attachments").get(0).path("text").asText()).isEqualTo("quote me");
        assertThat(quoting.path("urls").get(0).path("ignoreParse").asBoolean()).isTrue();

        Reply edited = alice.post("/api/v1/chat.update", Map.of("roomId", rid, "msgId", quoting.path("_id").asText(), "text", "no link"));
        assertThat(edited.json().path("message").path("attachments").size()).as(edited.toString()).isZero();

        // a message the sender cannot read is not quoted
        String secret = alice.post("/api/v1/groups.create", Map.of("name", unique("secret"))).json().path("group").path("_id").asText();
        String secretId = send(alice, Map.of("message", Map.of("rid", secret, "msg", "private"))).path("_id").asText();
        String eveRoom = channel(eve);
        JsonNode peek = send(eve, Map.of("message", Map.of("rid", eveRoom, "msg", "http://chat.test/group/s?msg=" + secretId)));
        assertThat(peek.path("attachments").size()).as(peek.toString()).isZero();
    }
}
