package chat.caravan.core.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The page parser: the metadata Rocket.Chat keys in urls[i].meta, read from real-world shaped HTML. */
class LinkMetadataTest {

    private static final String PAGE = """
            <!doctype html>
            <html><head>
              <meta charset="utf-8">
              <title>Caravan &amp; Camels &#8211; a story</title>
              <meta property="og:title" content="Camels &quot;cross&quot; deserts">
              <meta content='A long &lt;journey&gt;' property='og:description'>
              <meta name="twitter:image:src" content="https://cdn.example/camel.png" />
              <meta property="og:image:secure_url" content="https://cdn.example/camel-s.png">
              <meta name="msapplication-TileColor" content="#da532c">
              <meta name="description" content="Plain description">
              <meta property="og:title" content="A second title, ignored">
              <meta name="viewport" content="width=device-width">
              <meta name="keywords" content="">
              <meta property="oembed:html" content="<script>alert(1)</script>">
              <link rel="alternate" type="application/json+oembed" href="/oembed?url=x&amp;format=json" title="oEmbed">
            </head><body><p>hi</p></body></html>
            """;

    @Test
    void readsTitleAndMetaTagsInCamelCaseFirstOneWinsEntitiesDecoded() {
        Map<String, String> metas = LinkMetadata.parse(PAGE);
        assertThat(metas).containsEntry("pageTitle", "Caravan & Camels \u2013 a story")
                .containsEntry("ogTitle", "Camels \"cross\" deserts")
                .containsEntry("ogDescription", "A long <journey>")
                .containsEntry("twitterImageSrc", "https://cdn.example/camel.png")
                .containsEntry("ogImageSecureUrl", "https://cdn.example/camel-s.png")
                .containsEntry("msapplicationTileColor", "#da532c")
                .containsEntry("description", "Plain description")
                .containsEntry("viewport", "width=device-width")
                .as("a page never supplies the markup clients render").doesNotContainKey("oembedHtml");
    }

    @Test
    void aPreviewKeepsOnlyRocketChatsRelevantNonBlankKeys() {
        Map<String, String> kept = LinkMetadata.relevant(LinkMetadata.parse(PAGE));
        assertThat(kept).containsKeys("pageTitle", "ogTitle", "ogDescription", "twitterImageSrc", "msapplicationTileColor", "description")
                .doesNotContainKeys("viewport", "keywords", "oembedHtml");
    }

    @Test
    void camelCaseAsRocketChatKeysMetaNames() {
        assertThat(LinkMetadata.camelCase("og:title")).isEqualTo("ogTitle");
        assertThat(LinkMetadata.camelCase("og:image:width")).isEqualTo("ogImageWidth");
        assertThat(LinkMetadata.camelCase("fb:app_id")).isEqualTo("fbAppId");
        assertThat(LinkMetadata.camelCase("oembed_author_name")).isEqualTo("oembedAuthorName");
        assertThat(LinkMetadata.camelCase("description")).isEqualTo("description");
        assertThat(LinkMetadata.camelCase("msapplication-TileColor")).isEqualTo("msapplicationTileColor");
    }

    @Test
    void findsTheOEmbedDiscoveryLinkResolvedAgainstThePage() {
        assertThat(LinkMetadata.oEmbedLink(PAGE, URI.create("https://news.example/a/b")))
                .isEqualTo(URI.create("https://news.example/oembed?url=x&format=json"));
        assertThat(LinkMetadata.oEmbedLink("<link rel=stylesheet href=/x.css>", URI.create("https://news.example/"))).isNull();
    }

    @Test
    void decodesInTheCharsetTheHeaderOrThePageNames() {
        byte[] latin = "<meta charset=\"iso-8859-1\"><title>Caf\u00e9</title>".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(LinkMetadata.parse(LinkMetadata.decode(latin, "text/html"))).containsEntry("pageTitle", "Caf\u00e9");
        byte[] utf8 = "<title>Caf\u00e9</title>".getBytes(StandardCharsets.UTF_8);
        assertThat(LinkMetadata.parse(LinkMetadata.decode(utf8, null))).containsEntry("pageTitle", "Caf\u00e9");
        assertThat(LinkMetadata.parse(LinkMetadata.decode(latin, "text/html; charset=ISO-8859-1"))).containsEntry("pageTitle", "Caf\u00e9");
    }

    @Test
    void nothingToReadGivesNoMetadata() {
        assertThat(LinkMetadata.parse("")).isEmpty();
        assertThat(LinkMetadata.parse("{\"json\": true}")).isEmpty();
        assertThat(LinkMetadata.parse("<meta name=\"og:title\">")).as("a meta without content").isEmpty();
    }

    @Test
    void anOEmbedAnswerBecomesOembedKeysItsHtmlOnlyFromAKnownProvider() {
        String answer = "{\"type\":\"video\",\"title\":\"Clip\",\"author_name\":\"Ann\",\"width\":480,"
                + "\"html\":\"<iframe src=\\\"https://player.example/1\\\"></iframe>\",\"thumbnail_url\":\"https://i.example/1.jpg\"}";
        assertThat(OEmbedProviders.metas(answer, true)).containsEntry("oembedType", "video").containsEntry("oembedTitle", "Clip")
                .containsEntry("oembedAuthorName", "Ann").containsEntry("oembedWidth", "480")
                .containsEntry("oembedThumbnailUrl", "https://i.example/1.jpg")
                .containsEntry("oembedHtml", "<iframe style=\"max-width: 100%;width:400px;height:225px\" src=\"https://player.example/1\"></iframe>");
        assertThat(OEmbedProviders.metas(answer, false)).containsEntry("oembedTitle", "Clip").doesNotContainKey("oembedHtml");
        assertThat(OEmbedProviders.metas("<html>", true)).isEmpty();
        assertThat(OEmbedProviders.endpointFor("https://www.youtube.com/watch?v=T2v29gK8fP4"))
                .hasToString("https://www.youtube.com/oembed?maxheight=200&url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DT2v29gK8fP4");
        assertThat(OEmbedProviders.endpointFor("https://example.org/watch")).isNull();
    }

    @Test
    void linksBecomeUrisAndParsedUrls() {
        assertThat(UrlPreviews.uri("https://b\u00fccher.example/a b?q=\u00e9")).hasToString("https://xn--bcher-kva.example/a%20b?q=%C3%A9");
        assertThat(UrlPreviews.uri("ftp://example.org/")).isNull();
        assertThat(UrlPreviews.uri("https:///nohost")).isNull();
        assertThat(UrlPreviews.parsedUrl("https://Example.org:8443/p/a?x=1#top")).containsEntry("host", "example.org:8443")
                .containsEntry("hostname", "example.org").containsEntry("port", "8443").containsEntry("pathname", "/p/a")
                .containsEntry("protocol", "https:").containsEntry("search", "?x=1").containsEntry("query", "x=1")
                .containsEntry("hash", "#top");
    }
}
