package chat.caravan.core.embed;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import chat.caravan.common.settings.Settings;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Decides whether a link preview may fetch a URL, so that posting a link never makes the server reach inside its
 * own network. Rocket.Chat's settings decide, read as follows:
 * <ul>
 * <li>{@code API_EmbedSafePorts}: the URL's port (or its scheme's, 80 or 443) must be listed; an empty list allows any.
 * <li>{@code API_EmbedIgnoredHosts}: host names, addresses and CIDR ranges never fetched, matched against the URL's
 * host name and against every address that name resolves to (Rocket.Chat looks at the name only). Its default
 * entries stand for classes of address: {@code localhost} or any loopback address refuses all loopback (127.0.0.0/8,
 * ::1), and any of the private IPv4 ranges refuses the other private kinds too (IPv6 unique-local fc00::/7 and
 * site-local, carrier-grade NAT 100.64.0.0/10). An administrator who empties the list lets them through.
 * <li>Whatever the settings: unspecified, link-local (169.254.0.0/16, where cloud metadata services live; fe80::/10),
 * multicast and reserved addresses are refused, and only http and https are fetched.
 * </ul>
 * The fetcher checks every redirect's target here too, and connects only to the addresses this check returns: the
 * name is resolved once, so a name that answers differently a moment later (DNS rebinding) changes nothing.
 */
@Component
public class EmbedAddressGuard {

    static final String DEFAULT_IGNORED_HOSTS = "localhost, 127.0.0.1, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16";
    static final String DEFAULT_SAFE_PORTS = "80, 443";

    private static final List<Cidr> RFC1918 = List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.168.0.0/16"));
    private static final List<Cidr> OTHER_PRIVATE = List.of(Cidr.parse("fc00::/7"), Cidr.parse("fec0::/10"),
            Cidr.parse("100.64.0.0/10"));
    private static final List<Cidr> LOOPBACK = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    private static final List<Cidr> NEVER = List.of(Cidr.parse("0.0.0.0/8"), Cidr.parse("169.254.0.0/16"),
            Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"), Cidr.parse("::/128"), Cidr.parse("fe80::/10"),
            Cidr.parse("ff00::/8"));
    /** The well-known NAT64 prefix: an IPv6 address that carries an IPv4 one, checked as that IPv4 address. */
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");

    /** Resolves a host name to all its addresses; tests give their own. */
    @FunctionalInterface
    public interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** Why a URL is not fetched. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason);
        }
    }

    private final Settings settings;
    private final HostResolver resolver;

    @Autowired
    public EmbedAddressGuard(Settings settings) {
        this(settings, InetAddress::getAllByName);
    }

    EmbedAddressGuard(Settings settings, HostResolver resolver) {
        this.settings = settings;
        this.resolver = resolver;
    }

    /** The rules the settings say now. */
    public Rules rules() {
        return Rules.of(settings.string("API_EmbedIgnoredHosts", DEFAULT_IGNORED_HOSTS),
                settings.string("API_EmbedSafePorts", DEFAULT_SAFE_PORTS));
    }

    /**
     * Checks {@code uri} under {@code rules}: its scheme, port, host name and every address the name has. Returns
     * those addresses: the only ones a fetch of {@code uri} may connect to.
     */
    public InetAddress[] check(URI uri, Rules rules) throws Refused {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new Refused("not http or https");
        }
        String host = host(uri);
        if (host == null || host.isEmpty()) {
            throw new Refused("no host");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        if (!rules.safePorts().isEmpty() && !rules.safePorts().contains(port)) {
            throw new Refused("port " + port + " is not in API_EmbedSafePorts");
        }
        if (rules.names().contains(host) || (rules.guardsLoopback() && (host.equals("localhost") || host.endsWith(".localhost")))) {
            throw new Refused("host " + host + " is in API_EmbedIgnoredHosts");
        }
        // the name as written (a trailing dot keeps it absolute), an IPv6 literal without its brackets
        String lookup = uri.getHost().startsWith("[") ? host : uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(lookup);
        } catch (UnknownHostException e) {
            throw new Refused("unknown host " + host);
        }
        if (addresses == null || addresses.length == 0) {
            throw new Refused("unknown host " + host);
        }
        // every address the name has, not only the first: a name that also points inside is refused
        for (InetAddress address : addresses) {
            String why = refusal(address, rules);
            if (why != null) {
                throw new Refused(host + " is " + address.getHostAddress() + ", " + why);
            }
        }
        return addresses.clone();
    }

    /** Why {@code address} may not be fetched, or null when it may. */
    static String refusal(InetAddress address, Rules rules) {
        byte[] bytes = embeddedIpv4(address.getAddress());
        if (matches(NEVER, bytes)) {
            return "an unspecified, link-local, multicast or reserved address";
        }
        if (matches(LOOPBACK, bytes)) {
            return rules.guardsLoopback() || matches(rules.ranges(), bytes) ? "a loopback address refused by API_EmbedIgnoredHosts" : null;
        }
        if (matches(OTHER_PRIVATE, bytes) && rules.guardsPrivate()) {
            return "a private address refused by API_EmbedIgnoredHosts";
        }
        return matches(rules.ranges(), bytes) ? "in API_EmbedIgnoredHosts" : null;
    }

    /** An IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) address as the IPv4 address it carries. */
    private static byte[] embeddedIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return bytes;
        }
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= bytes[i] == 0;
        }
        mapped &= (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
        if (mapped || NAT64.contains(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean matches(List<Cidr> ranges, byte[] address) {
        for (Cidr range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The URL's host name, lower case, without IPv6 brackets or a trailing dot. */
    static String host(URI uri) {
        return uri.getHost() == null ? null : normalized(uri.getHost());
    }

    /** A host name as it is compared: lower case, without an IPv6 literal's brackets or a trailing dot. */
    static String normalized(String host) {
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    /**
     * API_EmbedIgnoredHosts and API_EmbedSafePorts, parsed: the names and ranges never fetched, whether loopback and
     * the private kinds are refused as classes, and the ports allowed (empty: any).
     */
    public record Rules(Set<String> names, List<Cidr> ranges, boolean guardsLoopback, boolean guardsPrivate, Set<Integer> safePorts) {

        public static Rules of(String ignoredHosts, String safePorts) {
            Set<String> names = new LinkedHashSet<>();
            List<Cidr> ranges = new ArrayList<>();
            for (String entry : split(ignoredHosts)) {
                Cidr range = Cidr.tryParse(entry);
                if (range != null) {
                    ranges.add(range);
                } else {
                    names.add(entry.toLowerCase(Locale.ROOT));
                }
            }
            boolean loopback = names.contains("localhost") || ranges.stream().anyMatch(r -> LOOPBACK.stream().anyMatch(r::overlaps));
            boolean privateNets = ranges.stream().anyMatch(r -> RFC1918.stream().anyMatch(r::overlaps));
            Set<Integer> ports = new LinkedHashSet<>();
            for (String entry : split(safePorts)) {
                try {
                    ports.add(Integer.parseInt(entry));
                } catch (NumberFormatException e) {
                    // not a port: Rocket.Chat compares the text, so it matches no URL either
                    ports.add(-1);
                }
            }
            return new Rules(names, ranges, loopback, privateNets, ports);
        }

        private static List<String> split(String list) {
            List<String> entries = new ArrayList<>();
            for (String entry : (list == null ? "" : list).split(",")) {
                String trimmed = entry.replaceAll("\\s", "");
                if (!trimmed.isEmpty()) {
                    entries.add(trimmed);
                }
            }
            return entries;
        }
    }

    /** An address range: an address and how many leading bits of it count. */
    public record Cidr(byte[] network, int bits) {

        static Cidr parse(String text) {
            Cidr cidr = tryParse(text);
            if (cidr == null) {
                throw new IllegalArgumentException(text);
            }
            return cidr;
        }

        /** An address ({@code 10.1.2.3}, {@code ::1}) or a range ({@code 10.0.0.0/8}); null for a host name. */
        static Cidr tryParse(String text) {
            String address = text;
            int bits = -1;
            int slash = text.indexOf('/');
            if (slash >= 0) {
                address = text.substring(0, slash);
                try {
                    bits = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            if (address.startsWith("[") && address.endsWith("]")) {
                address = address.substring(1, address.length() - 1);
            }
            byte[] bytes = literal(address);
            if (bytes == null) {
                return null;
            }
            int max = bytes.length * 8;
            if (bits < 0) {
                bits = max;
            }
            if (bits > max) {
                return null;
            }
            return new Cidr(bytes, bits);
        }

        /** The bytes of an IP literal, without asking DNS anything; null when the text is not one. */
        private static byte[] literal(String text) {
            if (text.isEmpty()) {
                return null;
            }
            if (text.contains(":")) {
                if (!text.matches("[0-9a-fA-F:.]+")) {
                    return null;
                }
            } else if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                return null;
            }
            try {
                return InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                return null;
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            return prefix(address, bits).equals(prefix(network, bits));
        }

        /** Whether the two ranges share an address (one contains the other's network at the shorter prefix). */
        boolean overlaps(Cidr other) {
            if (other.network.length != network.length) {
                return false;
            }
            int shorter = Math.min(bits, other.bits);
            return prefix(network, shorter).equals(prefix(other.network, shorter));
        }

        private static BigInteger prefix(byte[] address, int bits) {
            int total = address.length * 8;
            return new BigInteger(1, address).shiftRight(total - bits);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cidr cidr && cidr.bits == bits && Arrays.equals(cidr.network, network);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(network) + bits;
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + bits;
            } catch (UnknownHostException e) {
                return Arrays.toString(network) + "/" + bits;
            }
        }
    }
}
