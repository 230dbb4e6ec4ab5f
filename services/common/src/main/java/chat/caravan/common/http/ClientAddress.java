package chat.caravan.common.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

import chat.caravan.common.CaravanProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The address a request came from, as Meteor computes it with HTTP_FORWARDED_COUNT: the socket's peer when no proxy
 * is trusted; behind N trusted proxies, the N-th address from the right of X-Forwarded-For (each proxy appends the
 * address it saw, so everything further left was written by the client and is never believed).
 */
@Component
public class ClientAddress {

    public static final String FORWARDED_FOR = "X-Forwarded-For";
    /** The header Vert.x platform-http puts the socket's peer in. */
    static final String REMOTE_ADDRESS_HEADER = "CamelVertxPlatformHttpRemoteAddress";
    static final String PROPERTY = "caravanClientAddress";

    private final int trustedProxies;

    @Autowired
    public ClientAddress(CaravanProperties properties) {
        this(properties.getHttp().getTrustedProxies());
    }

    public ClientAddress(int trustedProxies) {
        this.trustedProxies = Math.max(0, trustedProxies);
    }

    /**
     * The client's address from the socket peer and the X-Forwarded-For header (a String, a list of header values, or
     * null). A request that did not pass through all the trusted proxies is taken at its peer address.
     */
    public String of(String peer, Object forwardedFor) {
        if (trustedProxies == 0) {
            return peer;
        }
        List<String> hops = hops(forwardedFor);
        if (hops.size() < trustedProxies) {
            return peer;
        }
        return hops.get(hops.size() - trustedProxies);
    }

    /** The client's address of a REST request (Vert.x platform-http), computed once per exchange. */
    public String of(Exchange exchange) {
        String known = exchange.getProperty(PROPERTY, String.class);
        if (known != null) {
            return known;
        }
        Object remote = exchange.getIn().getHeader(REMOTE_ADDRESS_HEADER);
        String peer = remote instanceof SocketAddress address ? address.hostAddress() : remote == null ? null : remote.toString();
        String address = of(peer, exchange.getIn().getHeader(FORWARDED_FOR));
        if (address != null) {
            exchange.setProperty(PROPERTY, address);
        }
        return address;
    }

    /**
     * A copy of a client's login request for {@code accounts.login}, carrying as its {@code ip} the address this
     * server saw: accounts counts failures by it, so whatever the client wrote there is dropped.
     */
    public static ObjectNode loginRequest(JsonNode request, String address) {
        ObjectNode call = request.deepCopy();
        call.remove("ip");
        if (address != null) {
            call.put("ip", address);
        }
        return call;
    }

    /**
     * The key rate limits count an address under: an IPv4 address itself, an IPv6 address by its /64 network (one
     * client usually holds a whole /64, and counting single addresses would let it rotate past every limit).
     */
    public static String rateLimitKey(String address) {
        if (address == null || address.indexOf(':') < 0 || !address.matches("[0-9A-Fa-f:.]+")) {
            return address;
        }
        try {
            byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder prefix = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return prefix.append(":/64").toString();
        } catch (UnknownHostException e) {
            return address;
        }
    }

    public int trustedProxies() {
        return trustedProxies;
    }

    private static List<String> hops(Object header) {
        String joined;
        if (header instanceof List<?> values) {
            joined = String.join(",", values.stream().map(String::valueOf).toList());
        } else {
            joined = header == null ? "" : header.toString();
        }
        return Arrays.stream(joined.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
