package chat.caravan.core.messages;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import chat.caravan.common.settings.Settings;
import org.springframework.stereotype.Component;

/**
 * Censors a message's words as Rocket.Chat does with {@code Message_AllowBadWordsFilter}: every word of the text that
 * is one of {@code Message_BadWordsFilterList} (whole word, any case) becomes one {@code *} per letter, minus the
 * words of {@code Message_BadWordsWhitelist}. Only the configured list is used: no built-in word list ships here.
 */
@Component
public class BadWordsFilter {

    private static final Pattern NOT_KEPT = Pattern.compile("[^a-zA-Z0-9|$@]|\\^");
    private static final Pattern WORD_CHAR = Pattern.compile("\\w");

    private final Settings settings;

    public BadWordsFilter(Settings settings) {
        this.settings = settings;
    }

    /** Pipeline step (message.beforeSave): censors the text of the message document in the body. */
    public void censor(java.util.Map<String, Object> message) {
        if (message != null && message.get("msg") instanceof String text) {
            message.put("msg", clean(text));
        }
    }

    /** The text as it is stored: censored when the filter is on and has words, unchanged otherwise. */
    public String clean(String text) {
        if (text == null || text.isEmpty() || !settings.bool("Message_AllowBadWordsFilter", false)) {
            return text;
        }
        List<Pattern> badWords = badWords();
        if (badWords.isEmpty()) {
            return text;
        }
        StringBuilder cleaned = new StringBuilder(text.length());
        for (String token : text.split("\\b")) {
            boolean bad = badWords.stream().anyMatch(word -> word.matcher(token).find());
            cleaned.append(bad ? WORD_CHAR.matcher(NOT_KEPT.matcher(token).replaceAll("")).replaceAll("*") : token);
        }
        return cleaned.toString();
    }

    private List<Pattern> badWords() {
        Set<String> good = words(settings.string("Message_BadWordsWhitelist", "")).stream()
                .map(word -> word.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<Pattern> patterns = new ArrayList<>();
        for (String word : words(settings.string("Message_BadWordsFilterList", ""))) {
            if (!good.contains(word.toLowerCase(Locale.ROOT))) {
                patterns.add(Pattern.compile("\\b" + Pattern.quote(word) + "\\b", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
            }
        }
        return patterns;
    }

    private static List<String> words(String list) {
        return list == null ? List.of() : Arrays.stream(list.split(",")).map(String::trim).filter(word -> !word.isEmpty()).toList();
    }
}
