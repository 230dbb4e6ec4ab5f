package chat.caravan.core.embed;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The oEmbed providers Rocket.Chat knows: a link to one of them is previewed from the provider's oEmbed answer
 * (fetched instead of the page), whose fields become {@code oembed*} metadata, its {@code html} included
 * ({@code oembedHtml}, an embedded player clients render). Any other page's oEmbed link (discovery) gives the
 * descriptive fields only: a page chosen by whoever posts a link does not get to put markup into clients.
 */
public final class OEmbedProviders {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A provider: the links it answers for and its endpoint (the link goes in its {@code url} parameter). */
    record Provider(List<Pattern> urls, String endpoint) {
        boolean answersFor(String url) {
            return urls.stream().anyMatch(pattern -> pattern.matcher(url).find());
        }
    }

    private static final List<Provider> KNOWN = List.of(
            provider("https://soundcloud.com/oembed?format=json&maxheight=150", "^https?://soundcloud\\.com/\\S+"),
            provider("https://vimeo.com/api/oembed.json?maxheight=200", "^https?://vimeo\\.com/[^/]+",
                    "^https?://vimeo\\.com/channels/[^/]+/[^/]+", "^https://vimeo\\.com/groups/[^/]+/videos/[^/]+"),
            provider("https://www.youtube.com/oembed?maxheight=200", "^https?://www\\.youtube\\.com/\\S+", "^https?://youtu\\.be/\\S+"),
            provider("https://www.slideshare.net/api/oembed/2?format=json&maxheight=200", "^https?://www\\.slideshare\\.net/[^/]+/[^/]+"),
            provider("https://www.dailymotion.com/services/oembed?maxheight=200", "^https?://www\\.dailymotion\\.com/video/\\S+"),
            provider("https://publish.twitter.com/oembed", "^https?://(twitter|x)\\.com/[^/]+/status/\\S+"),
            provider("https://open.spotify.com/oembed", "^https?://(play|open)\\.spotify\\.com/(track|album|playlist|show)/\\S+"),
            provider("https://www.loom.com/v1/oembed?format=json", "^https?://www\\.loom\\.com/\\S+"));

    private OEmbedProviders() {
    }

    private static Provider provider(String endpoint, String... urls) {
        return new Provider(java.util.Arrays.stream(urls).map(Pattern::compile).toList(), endpoint);
    }

    /** The provider endpoint that describes {@code url}, or null when no known provider answers for it. */
    public static URI endpointFor(String url) {
        for (Provider provider : KNOWN) {
            if (provider.answersFor(url)) {
                String endpoint = provider.endpoint();
                return URI.create(endpoint + (endpoint.contains("?") ? "&" : "?") + "url=" + URLEncoder.encode(url, StandardCharsets.UTF_8));
            }
        }
        return null;
    }

    /**
     * An oEmbed answer as metadata: each string field as {@code oembed<Field>} ({@code author_name} is
     * {@code oembedAuthorName}), numbers as text; {@code html} only when {@code withHtml}, with the iframe sized for a
     * chat message as Rocket.Chat sizes it. Empty when the answer is not a JSON object.
     */
    public static Map<String, String> metas(String json, boolean withHtml) {
        Map<String, String> metas = new LinkedHashMap<>();
        JsonNode answer;
        try {
            answer = JSON.readTree(json);
        } catch (Exception e) {
            return metas;
        }
        if (answer == null || !answer.isObject()) {
            return metas;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = answer.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (!(value.isTextual() || value.isNumber()) || value.asText().isEmpty()) {
                continue;
            }
            String key = LinkMetadata.camelCase("oembed_" + field.getKey());
            if (key.equals("oembedHtml")) {
                if (!withHtml) {
                    continue;
                }
                metas.put(key, value.asText().replaceFirst("iframe", "iframe style=\"max-width: 100%;width:400px;height:225px\""));
                continue;
            }
            metas.put(key, value.asText());
        }
        return metas;
    }
}
