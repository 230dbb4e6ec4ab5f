package chat.caravan.core.embed;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a page's link metadata as Rocket.Chat keys it in a message's {@code urls[i].meta}: {@code pageTitle} from
 * {@code <title>}, and every {@code <meta name|property=... content=...>} under its name in camel case
 * ({@code og:title} is {@code ogTitle}, {@code twitter:image:src} {@code twitterImageSrc}); the first of a name wins and
 * HTML entities are decoded. A page never supplies {@code oembedHtml}, which clients render as markup: only an oEmbed
 * provider's answer may.
 */
public final class LinkMetadata {

    private static final Pattern TITLE = Pattern.compile("<title[^>]*>([^<]*)</title>", Pattern.CASE_INSENSITIVE);
    private static final Pattern META = Pattern.compile("<meta\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern LINK = Pattern.compile("<link\\b([^>]*)>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ATTRIBUTE = Pattern.compile(
            "([a-zA-Z_:][-a-zA-Z0-9_:.]*)\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s\"'=<>`]+))");
    private static final Pattern CHARSET = Pattern.compile("charset\\s*=\\s*[\"']?([\\w\\-:.]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern META_CHARSET = Pattern.compile("<meta\\b[^>]*charset\\s*=\\s*[\"']?([\\w\\-:.]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});");
    /** The keys a preview keeps: Rocket.Chat's og*, fb*, twitter*, oembed*, msapplication*, and any title or description. */
    private static final Pattern RELEVANT = Pattern.compile("^(og|fb|twitter|oembed|msapplication).+|description|title");
    private static final Map<String, String> NAMED = named();

    private LinkMetadata() {
    }

    /** The page's metadata, every name found (see {@link #relevant} for what a preview keeps). */
    public static Map<String, String> parse(String html) {
        Map<String, String> metas = new LinkedHashMap<>();
        if (html == null || html.isEmpty()) {
            return metas;
        }
        Matcher title = TITLE.matcher(html);
        if (title.find()) {
            metas.put("pageTitle", unescape(title.group(1)));
        }
        Matcher meta = META.matcher(html);
        while (meta.find()) {
            Map<String, String> attributes = attributes(meta.group(1));
            String name = attributes.containsKey("name") ? attributes.get("name") : attributes.get("property");
            String content = attributes.get("content");
            if (name == null || content == null) {
                continue;
            }
            String key = camelCase(name);
            if (!key.isEmpty()) {
                metas.putIfAbsent(key, unescape(content));
            }
        }
        metas.remove("oembedHtml");
        return metas;
    }

    /**
     * The page's oEmbed discovery link ({@code <link rel="alternate" type="application/json+oembed" href>}), resolved
     * against the page's URL; null when it has none.
     */
    public static URI oEmbedLink(String html, URI page) {
        if (html == null) {
            return null;
        }
        Matcher link = LINK.matcher(html);
        while (link.find()) {
            Map<String, String> attributes = attributes(link.group(1));
            String type = attributes.getOrDefault("type", "").toLowerCase(Locale.ROOT);
            String rel = attributes.getOrDefault("rel", "").toLowerCase(Locale.ROOT);
            String href = attributes.get("href");
            if (href != null && type.equals("application/json+oembed") && List.of(rel.split("\\s+")).contains("alternate")) {
                try {
                    return page.resolve(unescape(href).trim());
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** What a preview keeps of the metadata, as Rocket.Chat picks it: the relevant names with a non-blank value. */
    public static Map<String, String> relevant(Map<String, ?> metas) {
        Map<String, String> kept = new LinkedHashMap<>();
        metas.forEach((key, value) -> {
            if (value instanceof String text && !text.isBlank() && RELEVANT.matcher(key.toLowerCase(Locale.ROOT)).find()) {
                kept.put(key, text);
            }
        });
        return kept;
    }

    /** The attributes of a tag, names in lower case, values with their quotes removed (the first of a name wins). */
    static Map<String, String> attributes(String tag) {
        Map<String, String> attributes = new HashMap<>();
        Matcher attribute = ATTRIBUTE.matcher(tag);
        while (attribute.find()) {
            String value = attribute.group(2) != null ? attribute.group(2) : attribute.group(3) != null ? attribute.group(3) : attribute.group(4);
            attributes.putIfAbsent(attribute.group(1).toLowerCase(Locale.ROOT), value);
        }
        return attributes;
    }

    /**
     * A meta name in camel case, as Rocket.Chat keys it: split at every run of characters other than letters and digits
     * and where a lower-case letter or digit meets a capital, then the first word lower case and the others
     * capitalised ({@code og:image:secure_url} is {@code ogImageSecureUrl}, {@code msapplication-TileColor}
     * {@code msapplicationTileColor}).
     */
    public static String camelCase(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("([A-Z])([A-Z][a-z])", "$1 $2");
        StringBuilder key = new StringBuilder();
        int index = 0;
        for (String word : spaced.split("[^A-Za-z0-9]+")) {
            if (word.isEmpty()) {
                continue;
            }
            String lower = word.toLowerCase(Locale.ROOT);
            if (index == 0) {
                key.append(lower);
            } else if (Character.isDigit(lower.charAt(0))) {
                key.append('_').append(lower);
            } else {
                key.append(Character.toUpperCase(lower.charAt(0))).append(lower, 1, lower.length());
            }
            index++;
        }
        return key.toString();
    }

    /** HTML character references decoded: numeric ones and the named ones pages use in titles and descriptions. */
    public static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher entity = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder();
        while (entity.find()) {
            String name = entity.group(1);
            String replacement = null;
            if (name.startsWith("#")) {
                try {
                    int code = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                            ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                    if (Character.isValidCodePoint(code) && code != 0) {
                        replacement = new String(Character.toChars(code));
                    }
                } catch (NumberFormatException e) {
                    replacement = null;
                }
            } else {
                replacement = NAMED.get(name);
            }
            entity.appendReplacement(out, Matcher.quoteReplacement(replacement != null ? replacement : entity.group()));
        }
        entity.appendTail(out);
        return out.toString();
    }

    /**
     * A body's text: in the charset the Content-Type names, else the one a {@code <meta charset>} near its start
     * names, else UTF-8.
     */
    public static String decode(byte[] body, String contentType) {
        if (body == null || body.length == 0) {
            return "";
        }
        Charset charset = null;
        if (contentType != null) {
            Matcher header = CHARSET.matcher(contentType);
            if (header.find()) {
                charset = charset(header.group(1));
            }
        }
        if (charset == null) {
            String head = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.ISO_8859_1);
            Matcher meta = META_CHARSET.matcher(head);
            if (meta.find()) {
                charset = charset(meta.group(1));
            }
        }
        return new String(body, charset != null ? charset : StandardCharsets.UTF_8);
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Map<String, String> named() {
        Map<String, String> named = new HashMap<>();
        String[][] pairs = {{"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\u00a0"},
            {"copy", "\u00a9"}, {"reg", "\u00ae"}, {"trade", "\u2122"}, {"hellip", "\u2026"}, {"mdash", "\u2014"},
            {"ndash", "\u2013"}, {"lsquo", "\u2018"}, {"rsquo", "\u2019"}, {"ldquo", "\u201c"}, {"rdquo", "\u201d"},
            {"laquo", "\u00ab"}, {"raquo", "\u00bb"}, {"middot", "\u00b7"}, {"bull", "\u2022"}, {"euro", "\u20ac"},
            {"pound", "\u00a3"}, {"yen", "\u00a5"}, {"cent", "\u00a2"}, {"sect", "\u00a7"}, {"deg", "\u00b0"},
            {"times", "\u00d7"}, {"divide", "\u00f7"}, {"eacute", "\u00e9"}, {"egrave", "\u00e8"}, {"agrave", "\u00e0"},
            {"aacute", "\u00e1"}, {"uuml", "\u00fc"}, {"ouml", "\u00f6"}, {"auml", "\u00e4"}, {"szlig", "\u00df"},
            {"ccedil", "\u00e7"}, {"ntilde", "\u00f1"}, {"iacute", "\u00ed"}, {"oacute", "\u00f3"}, {"uacute", "\u00fa"}};
        for (String[] pair : pairs) {
            named.put(pair[0], pair[1]);
        }
        return named;
    }
}
