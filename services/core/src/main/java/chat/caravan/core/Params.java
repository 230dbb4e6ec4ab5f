package chat.caravan.core;

import chat.caravan.common.error.CaravanException;
import chat.caravan.common.rest.RestRequest;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;

/** The parameters of a REST request: the JSON body of a POST, the query string of a GET. */
public final class Params {

    private final JsonNode body;
    private final Exchange exchange;

    private Params(JsonNode body, Exchange exchange) {
        this.body = body;
        this.exchange = exchange;
    }

    public static Params of(Exchange exchange) {
        String method = exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class);
        JsonNode body = "GET".equalsIgnoreCase(method) || "DELETE".equalsIgnoreCase(method) ? null : RestRequest.body(exchange);
        return new Params(body, exchange);
    }

    public JsonNode body() {
        return body;
    }

    /** A text parameter; a value of another JSON type is a 400. */
    public String text(String name) {
        if (body != null) {
            JsonNode value = body.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isTextual()) {
                throw CaravanException.invalidParams("must be string '" + name + "'");
            }
            return value.asText();
        }
        return RestRequest.query(exchange, name);
    }

    public String requiredText(String name) {
        String value = text(name);
        if (value == null || value.isBlank()) {
            throw CaravanException.invalidParams("must have required property '" + name + "'");
        }
        return value;
    }

    public Boolean bool(String name) {
        if (body != null) {
            JsonNode value = body.get(name);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isBoolean()) {
                throw CaravanException.invalidParams("must be boolean '" + name + "'");
            }
            return value.asBoolean();
        }
        String value = RestRequest.query(exchange, name);
        return value == null ? null : Boolean.parseBoolean(value);
    }

    /** A list parameter: a JSON array in a body; {@code name=a}, {@code name[]=a} or {@code name[0]=a} in a query. */
    public java.util.List<String> list(String name) {
        java.util.List<String> values = new java.util.ArrayList<>();
        if (body != null) {
            JsonNode value = body.get(name);
            if (value != null && value.isArray()) {
                value.forEach(v -> values.add(v.asText()));
            } else if (value != null && value.isTextual()) {
                values.add(value.asText());
            }
            return values;
        }
        java.util.regex.Pattern key = java.util.regex.Pattern.compile("^" + java.util.regex.Pattern.quote(name) + "(\\[\\d*])?$");
        exchange.getIn().getHeaders().forEach((header, value) -> {
            if (key.matcher(header).matches()) {
                if (value instanceof Iterable<?> many) {
                    many.forEach(v -> values.add(String.valueOf(v)));
                } else if (value != null) {
                    values.add(String.valueOf(value));
                }
            }
        });
        return values;
    }

    public JsonNode node(String name) {
        return body == null ? null : body.get(name);
    }
}
