package chat.caravan.core.directory;

import java.io.IOException;
import java.util.Map;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.json.CaravanJson;
import chat.caravan.common.rest.Pagination;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.settings.Settings;
import chat.caravan.core.Caller;
import chat.caravan.core.Params;
import chat.caravan.core.auth.RestAuth;
import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/** GET /api/v1/directory and GET /api/v1/spotlight. */
@Component("directoryEndpoints")
public class DirectoryEndpoints {

    private final Directory directory;
    private final Spotlight spotlight;
    private final Settings settings;
    private final RestAuth auth;
    private final MongoDatabase database;

    public DirectoryEndpoints(Directory directory, Spotlight spotlight, Settings settings, RestAuth auth, MongoDatabase database) {
        this.directory = directory;
        this.spotlight = spotlight;
        this.settings = settings;
        this.auth = auth;
        this.database = database;
    }

    /** {@code query={"text","type","workspace"}} (as the web client sends it) or {@code text}, {@code type}, {@code workspace}. */
    public void directory(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        Params params = Params.of(exchange);
        Pagination page = Pagination.of(exchange, settings, null);
        String text = params.text("text");
        String type = params.text("type");
        String workspace = params.text("workspace");
        String query = params.text("query");
        if (query != null && !query.isBlank()) {
            JsonNode parsed;
            try {
                parsed = CaravanJson.ejson().readTree(query);
            } catch (IOException e) {
                throw CaravanException.coded("error-invalid-query", "Invalid query parameter provided: \"" + query + "\"");
            }
            if (parsed == null || !parsed.isObject()) {
                throw CaravanException.coded("error-invalid-query", "Invalid query parameter provided: \"" + query + "\"");
            }
            text = parsed.path("text").isTextual() ? parsed.get("text").asText() : text;
            type = parsed.path("type").isTextual() ? parsed.get("type").asText() : type;
            workspace = parsed.path("workspace").isTextual() ? parsed.get("workspace").asText() : workspace;
        }
        Document sort = page.sort();
        if (sort != null && sort.size() > 1) {
            throw CaravanException.plain("This method support only one \"sort\" parameter");
        }
        String sortBy = sort == null || sort.isEmpty() ? null : sort.keySet().iterator().next();
        boolean ascending = sortBy != null && Integer.valueOf(1).equals(sort.get(sortBy));
        Directory.Page result = directory.browse(caller, new Directory.Search(text, type, workspace == null ? "local" : workspace,
                sortBy, ascending, page.offset(), page.count()));
        if (result == null) {
            throw CaravanException.plain("Please verify the parameters");
        }
        RestReplies.ok(exchange, Map.of("result", result.results(), "count", result.results().size(), "offset", page.offset(),
                "total", result.total()));
    }

    public void spotlight(Exchange exchange) {
        Caller caller = Caller.of(exchange, auth, database);
        String query = Params.of(exchange).text("query");
        if (query == null) {
            throw CaravanException.invalidParams("must have required property 'query'");
        }
        RestReplies.ok(exchange, spotlight.search(caller, query));
    }
}
