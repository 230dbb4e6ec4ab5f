package chat.caravan.core.messages.markdown;

import static chat.caravan.core.messages.markdown.MarkdownNodes.code;
import static chat.caravan.core.messages.markdown.MarkdownNodes.emoji;
import static chat.caravan.core.messages.markdown.MarkdownNodes.heading;
import static chat.caravan.core.messages.markdown.MarkdownNodes.inlineCode;
import static chat.caravan.core.messages.markdown.MarkdownNodes.lineBreak;
import static chat.caravan.core.messages.markdown.MarkdownNodes.link;
import static chat.caravan.core.messages.markdown.MarkdownNodes.listItem;
import static chat.caravan.core.messages.markdown.MarkdownNodes.mentionChannel;
import static chat.caravan.core.messages.markdown.MarkdownNodes.mentionUser;
import static chat.caravan.core.messages.markdown.MarkdownNodes.node;
import static chat.caravan.core.messages.markdown.MarkdownNodes.paragraph;
import static chat.caravan.core.messages.markdown.MarkdownNodes.plain;
import static chat.caravan.core.messages.markdown.MarkdownNodes.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rocket.Chat's message markdown, parsed into the tree its clients render ({@code md} on each message), for the
 * common constructs: paragraphs and line breaks, code blocks, headings, quotes, lists and task lists, a message of
 * one to three emoji only (big emoji), and inline bold, italic, strike, inline code, links, bare URLs, user and
 * channel mentions and {@code :emoji:}. Anything else stays plain text, so the tree always covers the whole text.
 */
public final class MessageMarkdown {

    private static final Pattern SHORT_CODE = Pattern.compile(":([a-zA-Z0-9_+\\-]+):");
    private static final Pattern BIG_EMOJI = Pattern.compile("^\\s*(?::[a-zA-Z0-9_+\\-]+:\\s*){1,3}$");
    private static final Pattern HEADING = Pattern.compile("^(#{1,4}) (.*\\S.*)$");
    private static final Pattern TASK = Pattern.compile("^[-*] \\[([ xX])] (.*)$");
    private static final Pattern UNORDERED = Pattern.compile("^[-*] (.*\\S.*)$");
    private static final Pattern ORDERED = Pattern.compile("^(\\d{1,9})\\. (.*\\S.*)$");
    private static final Pattern QUOTE = Pattern.compile("^> ?(.*)$");
    private static final Pattern USERNAME = Pattern.compile("[\\p{L}\\p{N}._\\-:@]+");
    private static final Pattern CHANNEL = Pattern.compile("[\\p{L}\\p{N}._\\-]+");
    private static final Pattern URL = Pattern.compile("(?i)(?:https?|ftp)://[^\\s<>]+");
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\[([^\\]\\n]*)]\\(((?:https?|ftp|mailto):[^\\s)]+)\\)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ANGLE_LINK = Pattern.compile("<((?:https?|ftp|mailto):[^\\s|>]+)(?:\\|([^>\\n]*))?>",
            Pattern.CASE_INSENSITIVE);
    /** Deeper nesting of emphasis than this is left as plain text: no message makes the parser recurse without end. */
    private static final int MAX_DEPTH = 8;

    private MessageMarkdown() {
    }

    /** The tree of {@code text}: a list of blocks (an empty list for an empty text). */
    public static List<Map<String, Object>> parse(String text) {
        List<Map<String, Object>> blocks = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return blocks;
        }
        String normalized = text.replace("\r\n", "\n").replace('\r', '\n');
        if (BIG_EMOJI.matcher(normalized).matches()) {
            List<Map<String, Object>> emojis = new ArrayList<>();
            Matcher m = SHORT_CODE.matcher(normalized);
            while (m.find()) {
                emojis.add(emoji(m.group(1)));
            }
            blocks.add(node("BIG_EMOJI", emojis));
            return blocks;
        }
        String[] lines = normalized.split("\n", -1);
        int last = lines.length - 1;
        while (last >= 0 && lines[last].isBlank()) {
            last--;
        }
        int i = 0;
        while (i <= last) {
            String line = lines[i];
            if (line.startsWith("```")) {
                int close = closingFence(lines, i + 1, last);
                if (close > 0) {
                    List<String> code = new ArrayList<>();
                    for (int k = i + 1; k < close; k++) {
                        code.add(lines[k]);
                    }
                    blocks.add(code(line.substring(3).trim(), code));
                    i = close + 1;
                    continue;
                }
            }
            if (line.isBlank()) {
                if (!blocks.isEmpty()) {
                    blocks.add(lineBreak());
                }
                i++;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (m.matches()) {
                blocks.add(heading(m.group(1).length(), inlines(m.group(2))));
                i++;
                continue;
            }
            if (QUOTE.matcher(line).matches()) {
                List<Map<String, Object>> paragraphs = new ArrayList<>();
                while (i <= last && (m = QUOTE.matcher(lines[i])).matches()) {
                    paragraphs.add(paragraph(inlines(m.group(1))));
                    i++;
                }
                blocks.add(node("QUOTE", paragraphs));
                continue;
            }
            if (TASK.matcher(line).matches()) {
                List<Map<String, Object>> tasks = new ArrayList<>();
                while (i <= last && (m = TASK.matcher(lines[i])).matches()) {
                    tasks.add(task(inlines(m.group(2)), !" ".equals(m.group(1))));
                    i++;
                }
                blocks.add(node("TASKS", tasks));
                continue;
            }
            if (isListItem(line)) {
                List<Map<String, Object>> items = new ArrayList<>();
                char marker = line.charAt(0);
                while (i <= last && !lines[i].isEmpty() && lines[i].charAt(0) == marker && isListItem(lines[i]) && !TASK.matcher(lines[i]).matches()
                        && (m = UNORDERED.matcher(lines[i])).matches()) {
                    items.add(listItem(inlines(m.group(1)), null));
                    i++;
                }
                blocks.add(node("UNORDERED_LIST", items));
                continue;
            }
            if (ORDERED.matcher(line).matches()) {
                List<Map<String, Object>> items = new ArrayList<>();
                while (i <= last && (m = ORDERED.matcher(lines[i])).matches()) {
                    items.add(listItem(inlines(m.group(2)), Integer.parseInt(m.group(1))));
                    i++;
                }
                blocks.add(node("ORDERED_LIST", items));
                continue;
            }
            blocks.add(paragraph(inlines(line)));
            i++;
        }
        return blocks;
    }

    /** {@code - text} or {@code * text}, with more than marks in it ({@code * *} is text). */
    private static boolean isListItem(String line) {
        Matcher m = UNORDERED.matcher(line);
        return m.matches() && !m.group(1).replace(String.valueOf(line.charAt(0)), "").isBlank();
    }

    private static int closingFence(String[] lines, int from, int last) {
        for (int k = from; k <= last; k++) {
            if (lines[k].trim().equals("```")) {
                return k;
            }
        }
        return -1;
    }

    /** The inline nodes of one line. */
    static List<Map<String, Object>> inlines(String text) {
        return new InlineParser(text).parse(0, text.length(), 0);
    }

    /** Inline constructs of one line, by position; plain text is gathered between them. */
    private static final class InlineParser {

        private final String text;

        InlineParser(String text) {
            this.text = text;
        }

        List<Map<String, Object>> parse(int from, int to, int depth) {
            List<Map<String, Object>> out = new ArrayList<>();
            StringBuilder plainText = new StringBuilder();
            int i = from;
            while (i < to) {
                char c = text.charAt(i);
                int end = -1;
                Map<String, Object> found = null;
                if (c == '`') {
                    int close = text.indexOf('`', i + 1);
                    if (close > i + 1 && close < to) {
                        found = inlineCode(text.substring(i + 1, close));
                        end = close + 1;
                    }
                } else if ((c == '*' || c == '_' || c == '~') && depth < MAX_DEPTH) {
                    int[] span = emphasis(i, to, c);
                    if (span != null) {
                        String type = c == '*' ? "BOLD" : c == '_' ? "ITALIC" : "STRIKE";
                        found = node(type, parse(span[0], span[1], depth + 1));
                        end = span[2];
                    }
                } else if (c == '[') {
                    Matcher m = MARKDOWN_LINK.matcher(text).region(i, to);
                    if (m.lookingAt()) {
                        String label = m.group(1);
                        found = link(m.group(2), label.isEmpty() ? List.of(plain(m.group(2)))
                                : depth < MAX_DEPTH ? parse(m.start(1), m.end(1), depth + 1) : List.of(plain(label)));
                        end = m.end();
                    }
                } else if (c == '<') {
                    Matcher m = ANGLE_LINK.matcher(text).region(i, to);
                    if (m.lookingAt()) {
                        String label = m.group(2);
                        found = link(m.group(1), label == null || label.isEmpty() ? List.of(plain(m.group(1)))
                                : List.of(plain(label)));
                        end = m.end();
                    }
                } else if ((c == '@' || c == '#') && wordStart(i)) {
                    Matcher m = (c == '@' ? USERNAME : CHANNEL).matcher(text).region(i + 1, to);
                    if (m.lookingAt()) {
                        found = c == '@' ? mentionUser(m.group()) : mentionChannel(m.group());
                        end = m.end();
                    }
                } else if (c == ':') {
                    Matcher m = SHORT_CODE.matcher(text).region(i, to);
                    if (m.lookingAt()) {
                        found = emoji(m.group(1));
                        end = m.end();
                    }
                } else if ((c == 'h' || c == 'H' || c == 'f' || c == 'F') && wordStart(i)) {
                    Matcher m = URL.matcher(text).region(i, to);
                    if (m.lookingAt()) {
                        String url = trimTrailingPunctuation(m.group());
                        found = link(url, List.of(plain(url)));
                        end = i + url.length();
                    }
                }
                if (found == null) {
                    plainText.append(c);
                    i++;
                    continue;
                }
                flush(plainText, out);
                out.add(found);
                i = end;
            }
            flush(plainText, out);
            return joinEmoji(out);
        }

        /**
         * An emphasis opened at {@code at} with {@code mark}: doubled ({@code **x**}) anywhere, single ({@code *x*})
         * at word boundaries with no space just inside; its content must hold something besides marks and spaces
         * (so a censored {@code *******} stays text). Returns content start, content end and the end of the span.
         */
        private int[] emphasis(int at, int to, char mark) {
            boolean doubled = at + 1 < to && text.charAt(at + 1) == mark;
            int start = at + (doubled ? 2 : 1);
            // the closing mark must come after the first character that is neither a mark nor a space
            int meaningful = firstMeaningful(start, to, mark);
            if (meaningful < 0) {
                return null;
            }
            if (doubled) {
                int close = text.indexOf(String.valueOf(mark) + mark, meaningful + 1);
                return close >= 0 && close + 1 < to ? new int[] {start, close, close + 2} : null;
            }
            if (!wordStart(at) || Character.isWhitespace(text.charAt(start))) {
                return null;
            }
            for (int close = text.indexOf(mark, meaningful + 1); close >= 0 && close < to; close = text.indexOf(mark, close + 1)) {
                boolean boundaryAfter = close + 1 >= to || !Character.isLetterOrDigit(text.charAt(close + 1));
                if (!Character.isWhitespace(text.charAt(close - 1)) && boundaryAfter) {
                    return new int[] {start, close, close + 1};
                }
            }
            return null;
        }

        private int firstMeaningful(int from, int to, char mark) {
            for (int k = from; k < to; k++) {
                char c = text.charAt(k);
                if (c != mark && !Character.isWhitespace(c)) {
                    return k;
                }
            }
            return -1;
        }

        private boolean wordStart(int at) {
            return at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
        }

        private static String trimTrailingPunctuation(String url) {
            int end = url.length();
            while (end > 0 && ".,;:!?)]'\"".indexOf(url.charAt(end - 1)) >= 0) {
                end--;
            }
            return url.substring(0, end);
        }

        private static void flush(StringBuilder plainText, List<Map<String, Object>> out) {
            if (plainText.length() > 0) {
                out.add(plain(plainText.toString()));
                plainText.setLength(0);
            }
        }
    }

    /**
     * As Rocket.Chat: an {@code :emoji:} written against other text or another emoji ({@code 10:20:30},
     * {@code a:b:c}) is text, and neighbouring texts join into one.
     */
    private static List<Map<String, Object>> joinEmoji(List<Map<String, Object>> nodes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) {
            Map<String, Object> current = nodes.get(k);
            if ("EMOJI".equals(current.get("type"))) {
                Map<String, Object> previous = k > 0 ? nodes.get(k - 1) : null;
                Map<String, Object> next = k + 1 < nodes.size() ? nodes.get(k + 1) : null;
                boolean emojiNeighbour = isType(previous, "EMOJI") || isType(next, "EMOJI");
                boolean textNeighbour = isType(previous, "PLAIN_TEXT") && !endsWithSpace((String) previous.get("value"))
                        || isType(next, "PLAIN_TEXT") && !startsWithSpace((String) next.get("value"));
                if (emojiNeighbour || textNeighbour) {
                    current = plain(":" + current.get("shortCode") + ":");
                }
            }
            Map<String, Object> before = out.isEmpty() ? null : out.get(out.size() - 1);
            if (isType(current, "PLAIN_TEXT") && isType(before, "PLAIN_TEXT")) {
                before.put("value", before.get("value") + (String) current.get("value"));
            } else {
                out.add(current);
            }
        }
        return out;
    }

    private static boolean isType(Map<String, Object> node, String type) {
        return node != null && type.equals(node.get("type"));
    }

    private static boolean endsWithSpace(String text) {
        return text.isEmpty() || Character.isWhitespace(text.charAt(text.length() - 1));
    }

    private static boolean startsWithSpace(String text) {
        return text.isEmpty() || Character.isWhitespace(text.charAt(0));
    }
}
