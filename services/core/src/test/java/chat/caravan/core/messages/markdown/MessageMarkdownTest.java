package chat.caravan.core.messages.markdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The message tree Rocket.Chat's clients render, written as compact JSON for each input. */
class MessageMarkdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String md(String text) {
        try {
            return JSON.writeValueAsString(MessageMarkdown.parse(text)).replace('"', '\'');
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String p(String inlines) {
        return "[{'type':'PARAGRAPH','value':[" + inlines + "]}]";
    }

    private static String plain(String text) {
        return "{'type':'PLAIN_TEXT','value':'" + text + "'}";
    }

    @Test
    void plainTextIsOneParagraphAndAnEmptyTextNothing() {
        assertThat(md("free text, with comma")).isEqualTo(p(plain("free text, with comma")));
        assertThat(md("unfinished *bold_")).isEqualTo(p(plain("unfinished *bold_")));
        assertThat(MessageMarkdown.parse("")).isEmpty();
        assertThat(MessageMarkdown.parse(null)).isEmpty();
    }

    @Test
    void censoredWordsStayText() {
        assertThat(md("This message has ******* ********")).isEqualTo(p(plain("This message has ******* ********")));
        assertThat(md("* *")).isEqualTo(p(plain("* *")));
        assertThat(md("** **")).isEqualTo(p(plain("** **")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "*bold*|{'type':'BOLD','value':[{'type':'PLAIN_TEXT','value':'bold'}]}",
        "**bold**|{'type':'BOLD','value':[{'type':'PLAIN_TEXT','value':'bold'}]}",
        "_it_|{'type':'ITALIC','value':[{'type':'PLAIN_TEXT','value':'it'}]}",
        "__it__|{'type':'ITALIC','value':[{'type':'PLAIN_TEXT','value':'it'}]}",
        "~gone~|{'type':'STRIKE','value':[{'type':'PLAIN_TEXT','value':'gone'}]}",
        "~~gone~~|{'type':'STRIKE','value':[{'type':'PLAIN_TEXT','value':'gone'}]}",
        "`a *b*`|{'type':'INLINE_CODE','value':{'type':'PLAIN_TEXT','value':'a *b*'}}",
        "**__x__**|{'type':'BOLD','value':[{'type':'ITALIC','value':[{'type':'PLAIN_TEXT','value':'x'}]}]}",
        "** bold**|{'type':'BOLD','value':[{'type':'PLAIN_TEXT','value':' bold'}]}",
        "@guilherme.gazzo|{'type':'MENTION_USER','value':{'type':'PLAIN_TEXT','value':'guilherme.gazzo'}}",
        "@user:server.com|{'type':'MENTION_USER','value':{'type':'PLAIN_TEXT','value':'user:server.com'}}",
        "@Владимир|{'type':'MENTION_USER','value':{'type':'PLAIN_TEXT','value':'Владимир'}}",
        "#GENERAL|{'type':'MENTION_CHANNEL','value':{'type':'PLAIN_TEXT','value':'GENERAL'}}",
        "https://rocket.chat/a?b=1|{'type':'LINK','value':{'src':{'type':'PLAIN_TEXT','value':'https://rocket.chat/a?b=1'},"
                + "'label':[{'type':'PLAIN_TEXT','value':'https://rocket.chat/a?b=1'}]}}",
        "[Gist](https://gist.github.com/x)|{'type':'LINK','value':{'src':{'type':'PLAIN_TEXT','value':'https://gist.github.com/x'},"
                + "'label':[{'type':'PLAIN_TEXT','value':'Gist'}]}}",
    })
    void aLoneInlineConstruct(String input, String node) {
        assertThat(md(input)).isEqualTo(p(node));
    }

    @Test
    void inlinesMixWithTextAroundThem() {
        assertThat(md("pre**bold**pos")).isEqualTo(p(plain("pre") + ",{'type':'BOLD','value':[" + plain("bold") + "]}," + plain("pos")));
        assertThat(md("test @Кириллица test")).isEqualTo(p(plain("test ")
                + ",{'type':'MENTION_USER','value':" + plain("Кириллица") + "}," + plain(" test")));
        assertThat(md("*test @guilherme.gazzo*")).isEqualTo(p("{'type':'BOLD','value':[" + plain("test ")
                + ",{'type':'MENTION_USER','value':" + plain("guilherme.gazzo") + "}]}"));
        assertThat(md("see https://rocket.chat.")).isEqualTo(p(plain("see ") + ",{'type':'LINK','value':{'src':"
                + plain("https://rocket.chat") + ",'label':[" + plain("https://rocket.chat") + "]}}," + plain(".")));
        assertThat(md("<https://rocket.chat|Rocket>")).isEqualTo(p("{'type':'LINK','value':{'src':" + plain("https://rocket.chat")
                + ",'label':[" + plain("Rocket") + "]}}"));
        // inside words, single marks are text: snake_case_name, a*b*c
        assertThat(md("snake_case_name")).isEqualTo(p(plain("snake_case_name")));
        assertThat(md("2*3*4")).isEqualTo(p(plain("2*3*4")));
        assertThat(md("mail me: ann@example.com")).isEqualTo(p(plain("mail me: ann@example.com")));
    }

    @Test
    void emojiStandAloneOrAgainstSpaceButTextWhenGluedToWordsOrOtherEmoji() {
        String smile = "{'type':'EMOJI','value':" + plain("smile") + ",'shortCode':'smile'}";
        assertThat(md(":smile: asd")).isEqualTo(p(smile + "," + plain(" asd")));
        assertThat(md("Hi :+1_tone4:")).isEqualTo(p(plain("Hi ") + ",{'type':'EMOJI','value':" + plain("+1_tone4")
                + ",'shortCode':'+1_tone4'}"));
        assertThat(md("10:20:30")).isEqualTo(p(plain("10:20:30")));
        assertThat(md("text:inner:outer")).isEqualTo(p(plain("text:inner:outer")));
        // quotes glued to it: JSON escapes the quote, written here as \'
        assertThat(md("\":smile:\"")).isEqualTo(p(plain("\\':smile:\\'")));
        assertThat(md("a :smile::smile: b")).isEqualTo(p(plain("a :smile::smile: b")));
    }

    @Test
    void oneToThreeEmojiAloneAreBig() {
        String smile = "{'type':'EMOJI','value':" + plain("smile") + ",'shortCode':'smile'}";
        assertThat(md(":smile:")).isEqualTo("[{'type':'BIG_EMOJI','value':[" + smile + "]}]");
        assertThat(md(" :smile::smile:  :smile: \n")).isEqualTo("[{'type':'BIG_EMOJI','value':[" + smile + "," + smile + ","
                + smile + "]}]");
        assertThat(md(":smile: :smile: :smile: :smile:")).startsWith("[{'type':'PARAGRAPH'");
    }

    @Test
    void linesAreParagraphsAndEmptyLinesBreaks() {
        assertThat(md("test\n\ntest2\n")).isEqualTo("[{'type':'PARAGRAPH','value':[" + plain("test")
                + "]},{'type':'LINE_BREAK'},{'type':'PARAGRAPH','value':[" + plain("test2") + "]}]");
        assertThat(MessageMarkdown.parse("a\n\n\n\nb")).extracting(n -> n.get("type"))
                .containsExactly("PARAGRAPH", "LINE_BREAK", "LINE_BREAK", "LINE_BREAK", "PARAGRAPH");
        assertThat(MessageMarkdown.parse("a\r\nb")).hasSize(2);
    }

    @Test
    void codeBlocksKeepTheirLinesAsWritten() {
        assertThat(md("```js\nconst a = *1*;\n\n```")).isEqualTo("[{'type':'CODE','language':'js','value':["
                + "{'type':'CODE_LINE','value':" + plain("const a = *1*;") + "},{'type':'CODE_LINE','value':" + plain("")
                + "}]}]");
        assertThat(md("```\nx\n```")).contains("'language':'none'");
        // an unclosed fence is text
        assertThat(md("```\nx")).startsWith("[{'type':'PARAGRAPH','value':[" + plain("```"));
    }

    @Test
    void quotesHeadingsListsAndTasks() {
        assertThat(md("> quoted *bold*\n> more")).isEqualTo("[{'type':'QUOTE','value':[{'type':'PARAGRAPH','value':["
                + plain("quoted ") + ",{'type':'BOLD','value':[" + plain("bold") + "]}]},{'type':'PARAGRAPH','value':["
                + plain("more") + "]}]}]");
        assertThat(md("## Title")).isEqualTo("[{'type':'HEADING','level':2,'value':[" + plain("Title") + "]}]");
        assertThat(md("##### five")).isEqualTo(p(plain("##### five")));
        assertThat(md("- one\n* two")).as("another marker starts another list")
                .startsWith("[{'type':'UNORDERED_LIST','value':[{'type':'LIST_ITEM','value':[" + plain("one") + "]}]},");
        assertThat(md("- one\n- two")).isEqualTo("[{'type':'UNORDERED_LIST','value':[{'type':'LIST_ITEM','value':["
                + plain("one") + "]},{'type':'LIST_ITEM','value':[" + plain("two") + "]}]}]");
        assertThat(MessageMarkdown.parse("- a\n\nb")).extracting(n -> n.get("type"))
                .containsExactly("UNORDERED_LIST", "LINE_BREAK", "PARAGRAPH");
        assertThat(md("1. one\n2. two")).isEqualTo("[{'type':'ORDERED_LIST','value':[{'type':'LIST_ITEM','value':["
                + plain("one") + "],'number':1},{'type':'LIST_ITEM','value':[" + plain("two") + "],'number':2}]}]");
        assertThat(md("- [ ] todo\n- [x] done")).isEqualTo("[{'type':'TASKS','value':[{'type':'TASK','status':false,'value':["
                + plain("todo") + "]},{'type':'TASK','status':true,'value':[" + plain("done") + "]}]}]");
    }

    @Test
    void deepOrHostileInputStaysBoundedAndCoversTheWholeText() {
        String nested = "**__".repeat(200) + "x" + "__**".repeat(200);
        List<Map<String, Object>> tree = MessageMarkdown.parse(nested);
        assertThat(tree).hasSize(1);
        String stars = "*".repeat(5000);
        long started = System.nanoTime();
        assertThat(md(stars)).isEqualTo(p(plain(stars)));
        assertThat(md("_*~`[<@#:".repeat(300))).startsWith("[{'type':'PARAGRAPH'");
        assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
    }
}
