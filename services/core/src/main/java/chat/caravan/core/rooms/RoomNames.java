package chat.caravan.core.rooms;

import java.text.Normalizer;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.model.RoomFields;
import chat.caravan.common.settings.Settings;
import com.mongodb.client.model.Filters;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * A room's unique {@code name} from the name a user typed, as Rocket.Chat's getValidRoomName makes it: with
 * UI_Allow_room_names_with_special_chars the typed name stays the display name ({@code fname}) and the name is its
 * transliterated slug (made unique with a -1, -2 suffix); either way the name must match UTF8_Channel_Names_Validation.
 */
@Component
public class RoomNames {

    static final int MAX_NAME = 100;
    private static final String DEFAULT_VALIDATION = "[0-9a-zA-Z-_.]+";
    private static final Map<Character, String> TRANSLITERATION = transliteration();

    private final RoomStore store;
    private final Settings settings;

    public RoomNames(RoomStore store, Settings settings) {
        this.store = store;
        this.settings = settings;
    }

    public boolean specialCharsAllowed() {
        return settings.bool("UI_Allow_room_names_with_special_chars", false);
    }

    /** The name to store for a room (other than {@code rid}) shown as {@code displayName}; 400 when taken or invalid. */
    public String valid(String displayName, String rid) {
        if (displayName == null || displayName.isBlank()) {
            throw CaravanException.plain("Param \"name\" is required");
        }
        String name = displayName.trim();
        boolean special = specialCharsAllowed();
        if (special) {
            String clean = slug(name);
            Document sameDisplay = store.rooms().find(Filters.and(Filters.eq(RoomFields.FNAME, name), notRoom(rid))).first();
            if (sameDisplay != null) {
                throw duplicate(sameDisplay, clean);
            }
            name = clean;
        }
        if (name.length() > MAX_NAME || !validation().matcher(name).matches()) {
            throw CaravanException.coded("error-invalid-room-name", name + " is not a valid room name",
                    Map.of("channel_name", name));
        }
        Document taken = findByName(name, rid);
        if (taken == null) {
            return name;
        }
        if (!special) {
            throw duplicate(taken, name);
        }
        String candidate = name;
        for (int next = 1; findByName(candidate, rid) != null; next++) {
            candidate = name + "-" + next;
        }
        return candidate;
    }

    /** Like limax with maintainCase: letters transliterated to ASCII, any other run of characters one dash. */
    public static String slug(String text) {
        StringBuilder ascii = new StringBuilder();
        for (char c : text.toCharArray()) {
            String mapped = TRANSLITERATION.get(c);
            if (mapped != null) {
                ascii.append(mapped);
                continue;
            }
            String stripped = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
            ascii.append(stripped);
        }
        String slug = ascii.toString().replaceAll("[^0-9A-Za-z_.]+", "-").replaceAll("-{2,}", "-");
        return slug.replaceAll("^-|-$", "");
    }

    private Pattern validation() {
        String charset = settings.string("UTF8_Channel_Names_Validation", DEFAULT_VALIDATION);
        try {
            return Pattern.compile("^" + charset + "$");
        } catch (PatternSyntaxException e) {
            return Pattern.compile("^" + DEFAULT_VALIDATION + "$");
        }
    }

    private Document findByName(String name, String rid) {
        return store.rooms().find(Filters.and(Filters.regex(RoomFields.NAME, Pattern.compile("^" + Pattern.quote(name) + "$",
                Pattern.CASE_INSENSITIVE)), notRoom(rid))).first();
    }

    private static Bson notRoom(String rid) {
        return rid == null ? new Document() : Filters.ne(RoomFields.ID, rid);
    }

    private static CaravanException duplicate(Document existing, String name) {
        if (Boolean.TRUE.equals(existing.getBoolean(RoomFields.ARCHIVED))) {
            return CaravanException.coded("error-archived-duplicate-name", "There's an archived channel with name " + name,
                    Map.of("channel_name", name));
        }
        return CaravanException.coded("error-duplicate-channel-name", "A channel with name '" + name + "' exists",
                Map.of("channel_name", name));
    }

    /** Greek and Cyrillic letters as speakingurl (limax) spells them; Latin letters lose their accents instead. */
    private static Map<Character, String> transliteration() {
        Map<Character, String> map = new java.util.HashMap<>();
        String[] greek = {"α", "a", "β", "v", "γ", "g", "δ", "d", "ε", "e", "ζ", "z", "η", "i", "θ", "th", "ι", "i", "κ", "k",
            "λ", "l", "μ", "m", "ν", "n", "ξ", "ks", "ο", "o", "π", "p", "ρ", "r", "σ", "s", "ς", "s", "τ", "t", "υ", "y",
            "φ", "f", "χ", "x", "ψ", "ps", "ω", "w", "ά", "a", "έ", "e", "ή", "i", "ί", "i", "ό", "o", "ύ", "y", "ώ", "w",
            "ϊ", "i", "ϋ", "y", "ΐ", "i", "ΰ", "y"};
        String[] cyrillic = {"а", "a", "б", "b", "в", "v", "г", "g", "д", "d", "е", "e", "ё", "yo", "ж", "zh", "з", "z",
            "и", "i", "й", "j", "к", "k", "л", "l", "м", "m", "н", "n", "о", "o", "п", "p", "р", "r", "с", "s", "т", "t",
            "у", "u", "ф", "f", "х", "h", "ц", "c", "ч", "ch", "ш", "sh", "щ", "sh", "ъ", "u", "ы", "y", "ь", "", "э", "e",
            "ю", "yu", "я", "ya", "є", "ye", "і", "i", "ї", "yi", "ґ", "g"};
        for (String[] table : new String[][] {greek, cyrillic}) {
            for (int i = 0; i < table.length; i += 2) {
                char lower = table[i].charAt(0);
                map.put(lower, table[i + 1]);
                char upper = Character.toUpperCase(lower);
                if (upper != lower && !map.containsKey(upper)) {
                    String value = table[i + 1];
                    map.put(upper, value.isEmpty() ? "" : Character.toUpperCase(value.charAt(0)) + value.substring(1));
                }
            }
        }
        return map;
    }
}
