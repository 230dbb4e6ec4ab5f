package chat.caravan.common.rest;

import java.io.IOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.settings.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.bson.Document;

/**
 * {@code offset}, {@code count} and {@code sort} of a list request, as Rocket.Chat reads them: count defaults to
 * API_Default_Count (50), is capped at API_Upper_Count_Limit (100), and 0 means all when API_Allow_Infinite_Count;
 * sort is a JSON object of 1/-1.
 */
public record Pagination(int offset, int count, Document sort) {

    /** A count of 0 after {@link #of}: no limit. */
    /** The page of {@code found}: skips {@code offset} documents and keeps {@code count}, or all when unlimited. */
    public <T> com.mongodb.client.FindIterable<T> window(com.mongodb.client.FindIterable<T> found) {
        found = found.skip(offset);
        return unlimited() ? found : found.limit(count);
    }

    public boolean unlimited() {
        return count == 0;
    }

    public static Pagination of(Exchange exchange, Settings settings, Document defaultSort) {
        int defaultCount = positiveOr(settings.integer("API_Default_Count", 50), 50);
        int upper = positiveOr(settings.integer("API_Upper_Count_Limit", 100), 100);
        boolean infinite = settings.bool("API_Allow_Infinite_Count", true);

        int offset = nonNegative(RestRequest.query(exchange, "offset"), "offset", 0);
        int count = nonNegative(RestRequest.query(exchange, "count"), "count", defaultCount);
        if (count == 0) {
            count = infinite ? 0 : defaultCount;
        } else {
            count = Math.min(count, upper);
        }
        return new Pagination(offset, count, sort(RestRequest.query(exchange, "sort"), defaultSort));
    }

    /**
     * Refuses a sort on a field the caller may not read: the order of a page sorted by a hidden field (an e-mail
     * address, say) would reveal it.
     */
    public Pagination sortableBy(Collection<String> fields) {
        for (String key : sort.keySet()) {
            if (!fields.contains(key)) {
                throw invalidSort(sort.toJson());
            }
        }
        return this;
    }

    /**
     * The same page with sort keys on fields the caller may not read dropped (the default order then applies): as
     * private as refusing them, for endpoints where Rocket.Chat accepts any sort.
     */
    public Pagination sortLimitedTo(Collection<String> fields, Document defaultSort) {
        Document allowed = new Document();
        sort.forEach((key, value) -> {
            if (fields.contains(key)) {
                allowed.append(key, value);
            }
        });
        return new Pagination(offset, count, allowed.isEmpty() ? defaultSort : allowed);
    }

    private static Document sort(String raw, Document defaultSort) {
        if (raw == null || raw.isBlank()) {
            return defaultSort;
        }
        JsonNode node;
        try {
            node = CaravanJson.ejson().readTree(raw);
        } catch (IOException e) {
            throw invalidSort(raw);
        }
        if (node == null || !node.isObject() || node.isEmpty()) {
            throw invalidSort(raw);
        }
        Document sort = new Document();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode direction = field.getValue();
            if (!direction.isInt() || (direction.asInt() != 1 && direction.asInt() != -1)
                    || field.getKey().startsWith("$")) {
                throw invalidSort(raw);
            }
            sort.append(field.getKey(), direction.asInt());
        }
        return sort;
    }

    private static CaravanException invalidSort(String raw) {
        return CaravanException.coded("error-invalid-sort", "Invalid sort parameter provided: \"" + raw + "\"");
    }

    private static int nonNegative(String raw, String name, int fallback) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < 0) {
                throw CaravanException.invalidParams("The query parameter \"" + name + "\" must be a non-negative integer");
            }
            return value;
        } catch (NumberFormatException e) {
            throw CaravanException.invalidParams("The query parameter \"" + name + "\" must be a non-negative integer");
        }
    }

    private static int positiveOr(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}
