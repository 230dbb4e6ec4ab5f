package chat.caravan.core.videoconf;

import chat.caravan.common.error.CaravanException;
import chat.caravan.core.Caller;
import chat.caravan.core.auth.RestAuth;
import com.mongodb.client.MongoDatabase;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code video-conference.capabilities}: in Rocket.Chat video calls come from a provider app (Jitsi, Pexip, ...);
 * this server runs no apps, so it answers as Rocket.Chat does with none installed, and the apps explain that calls
 * are not configured.
 */
@Component("videoConferenceEndpoints")
public class VideoConferenceEndpoints {

    static final String NO_PROVIDER = "no-videoconf-provider-app";

    private final RestAuth auth;
    private final MongoDatabase database;

    public VideoConferenceEndpoints(RestAuth auth, MongoDatabase database) {
        this.auth = auth;
        this.database = database;
    }

    public void capabilities(Exchange exchange) {
        Caller.of(exchange, auth, database);
        throw CaravanException.plain(NO_PROVIDER);
    }
}
