package chat.caravan.common.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/** An API path no route serves: a JSON 404 in Rocket.Chat's error shape rather than Vert.x's plain page. */
final class UnknownPathHandler implements Handler<RoutingContext> {

    static final UnknownPathHandler INSTANCE = new UnknownPathHandler();

    private UnknownPathHandler() {
    }

    @Override
    public void handle(RoutingContext context) {
        context.response()
                .setStatusCode(404)
                .putHeader("Content-Type", "application/json")
                .end("{\"success\":false,\"error\":\"Resource not found\"}");
    }
}
