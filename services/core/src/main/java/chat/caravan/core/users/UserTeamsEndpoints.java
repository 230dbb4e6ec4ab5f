package chat.caravan.core.users;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import chat.caravan.common.authz.Authorization;
import chat.caravan.common.error.CaravanException;
import chat.caravan.common.rest.RestReplies;
import chat.caravan.common.rest.RestRequest;
import chat.caravan.core.auth.RestAuth;
import chat.caravan.core.rooms.RoomStore;
import com.mongodb.client.model.Filters;
import org.apache.camel.Exchange;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * {@code users.listTeams}: the teams a user belongs to, each with {@code isOwner}; a caller without view-all-teams
 * sees only the teams they belong to as well.
 */
@Component("userTeamsEndpoints")
public class UserTeamsEndpoints {

    private final RoomStore store;
    private final Authorization authorization;

    public UserTeamsEndpoints(RoomStore store, Authorization authorization) {
        this.store = store;
        this.authorization = authorization;
    }

    public void listTeams(Exchange exchange) {
        String caller = RestAuth.userId(exchange);
        String userId = RestRequest.query(exchange, "userId");
        if (userId == null || userId.isBlank()) {
            throw CaravanException.invalidParams("must have required property 'userId'");
        }
        Set<String> visible = null;
        if (!authorization.hasPermission(caller, "view-all-teams")) {
            visible = new HashSet<>();
            for (Document membership : store.teamMembers().find(Filters.eq("userId", caller))) {
                visible.add(membership.getString("teamId"));
            }
        }
        List<Document> teams = new ArrayList<>();
        for (Document membership : store.teamMembers().find(Filters.eq("userId", userId))) {
            String teamId = membership.getString("teamId");
            Document team = visible == null || visible.contains(teamId) ? store.team(teamId) : null;
            if (team != null) {
                team.put("isOwner", membership.getList("roles", String.class, List.of()).contains("owner"));
                teams.add(team);
            }
        }
        RestReplies.ok(exchange, Map.of("teams", teams));
    }
}
