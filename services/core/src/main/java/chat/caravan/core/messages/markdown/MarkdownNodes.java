package chat.caravan.core.messages.markdown;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes of Rocket.Chat's message tree ({@code md}), as plain maps ready to store and serialize: each has a
 * {@code type} (PARAGRAPH, PLAIN_TEXT, BOLD, ...) and a {@code value}; a few carry more ({@code level},
 * {@code language}, {@code number}, {@code status}, {@code shortCode}). A node without a value (LINE_BREAK) has no
 * {@code value} key, as JSON has no undefined.
 */
public final class MarkdownNodes {

    private MarkdownNodes() {
    }

    public static Map<String, Object> node(String type, Object value) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("type", type);
        if (value != null) {
            node.put("value", value);
        }
        return node;
    }

    public static Map<String, Object> plain(String text) {
        return node("PLAIN_TEXT", text);
    }

    public static Map<String, Object> paragraph(List<Map<String, Object>> inlines) {
        return node("PARAGRAPH", inlines);
    }

    public static Map<String, Object> lineBreak() {
        return node("LINE_BREAK", null);
    }

    public static Map<String, Object> code(String language, List<String> lines) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("type", "CODE");
        node.put("language", language == null || language.isBlank() ? "none" : language);
        node.put("value", lines.stream().map(line -> node("CODE_LINE", plain(line))).toList());
        return node;
    }

    public static Map<String, Object> heading(int level, List<Map<String, Object>> inlines) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("type", "HEADING");
        node.put("level", level);
        node.put("value", inlines);
        return node;
    }

    public static Map<String, Object> listItem(List<Map<String, Object>> inlines, Integer number) {
        Map<String, Object> node = node("LIST_ITEM", inlines);
        if (number != null) {
            node.put("number", number);
        }
        return node;
    }

    public static Map<String, Object> task(List<Map<String, Object>> inlines, boolean done) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("type", "TASK");
        node.put("status", done);
        node.put("value", inlines);
        return node;
    }

    public static Map<String, Object> inlineCode(String text) {
        return node("INLINE_CODE", plain(text));
    }

    public static Map<String, Object> link(String src, List<Map<String, Object>> label) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("src", plain(src));
        value.put("label", label);
        return node("LINK", value);
    }

    public static Map<String, Object> mentionUser(String username) {
        return node("MENTION_USER", plain(username));
    }

    public static Map<String, Object> mentionChannel(String name) {
        return node("MENTION_CHANNEL", plain(name));
    }

    public static Map<String, Object> emoji(String shortCode) {
        Map<String, Object> node = node("EMOJI", plain(shortCode));
        node.put("shortCode", shortCode);
        return node;
    }
}
