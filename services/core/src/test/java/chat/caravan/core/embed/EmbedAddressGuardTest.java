package chat.caravan.core.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The address guard of link previews: internal addresses are refused under Rocket.Chat's default settings, whatever
 * name leads to them, on the first URL and on every redirect; settings an administrator changes decide.
 */
class EmbedAddressGuardTest {

    private static final EmbedAddressGuard.Rules DEFAULTS = EmbedAddressGuard.Rules.of(EmbedAddressGuard.DEFAULT_IGNORED_HOSTS,
            EmbedAddressGuard.DEFAULT_SAFE_PORTS);

    /** Names a test resolves as it likes; literal addresses as themselves. */
    private static final Map<String, String[]> NAMES = Map.of(
            "public.example", new String[] {"93.184.216.34"},
            "intranet.example", new String[] {"10.0.0.5"},
            "split.example", new String[] {"93.184.216.34", "192.168.1.9"},
            "metadata.example", new String[] {"169.254.169.254"},
            "v6-private.example", new String[] {"fd12:3456::1"},
            "mapped.example", new String[] {"::ffff:127.0.0.1"});

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String[] addresses = NAMES.get(host);
        if (addresses == null) {
            if (host.equals("localhost")) {
                return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            }
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            resolved[i] = InetAddress.getByAddress(host, InetAddress.getByName(addresses[i]).getAddress());
        }
        return resolved;
    }

    private static EmbedAddressGuard guard(String ignoredHosts, String safePorts) {
        return new EmbedAddressGuard(null, EmbedAddressGuardTest::resolve) {
            @Override
            public Rules rules() {
                return Rules.of(ignoredHosts, safePorts);
            }
        };
    }

    private static void refused(EmbedAddressGuard.Rules rules, String url) {
        assertThatThrownBy(() -> guard("", "").check(URI.create(url), rules)).as(url).isInstanceOf(EmbedAddressGuard.Refused.class);
    }

    private static void allowed(EmbedAddressGuard.Rules rules, String url) {
        assertThatCode(() -> guard("", "").check(URI.create(url), rules)).as(url).doesNotThrowAnyException();
    }

    @Test
    void rocketChatsDefaultsRefuseLoopbackAndPrivateAddressesWhateverNameLeadsThere() {
        allowed(DEFAULTS, "https://public.example/article");
        allowed(DEFAULTS, "http://public.example/article");
        for (String url : new String[] {"http://127.0.0.1/", "http://127.9.9.9/", "http://localhost/", "http://app.localhost/",
            "http://[::1]/", "http://10.1.2.3/", "http://172.20.0.1/", "http://192.168.0.10/", "http://intranet.example/",
            "http://split.example/", "http://[fd12:3456::1]/", "http://v6-private.example/", "http://mapped.example/",
            "http://[::ffff:10.0.0.1]/", "http://100.64.0.1/", "http://0.0.0.0/"}) {
            refused(DEFAULTS, url);
        }
    }

    @Test
    void linkLocalMulticastAndUnspecifiedAreRefusedWhateverTheSettings() {
        EmbedAddressGuard.Rules open = EmbedAddressGuard.Rules.of("", "");
        for (String url : new String[] {"http://169.254.169.254/latest/meta-data/", "http://metadata.example/",
            "http://[fe80::1]/", "http://224.0.0.1/", "http://[ff02::1]/", "http://[::]/", "http://255.255.255.255/"}) {
            refused(open, url);
        }
    }

    @Test
    void onlyHttpAndHttpsOnSafePorts() {
        refused(DEFAULTS, "ftp://public.example/file");
        refused(DEFAULTS, "file:///etc/passwd");
        refused(DEFAULTS, "http://public.example:8080/");
        refused(DEFAULTS, "https://public.example:22/");
        refused(DEFAULTS, "http://nowhere.invalid/");
        allowed(EmbedAddressGuard.Rules.of("", "80, 443, 8080"), "http://public.example:8080/");
        allowed(EmbedAddressGuard.Rules.of("", ""), "http://public.example:8080/");
    }

    @Test
    void theSettingsAnAdministratorWritesDecide() {
        // Rocket.Chat's own tests empty the list and add the port to preview a page of the server itself
        EmbedAddressGuard.Rules open = EmbedAddressGuard.Rules.of("", "80, 443, 3000");
        allowed(open, "http://localhost:3000/images/logo.png");
        allowed(open, "http://10.1.2.3/");
        // a list without the loopback entries lets loopback through but keeps refusing what it names
        EmbedAddressGuard.Rules noLoopback = EmbedAddressGuard.Rules.of("10.0.0.0/8, wiki.corp.example", "80");
        allowed(noLoopback, "http://127.0.0.1/");
        allowed(noLoopback, "http://192.168.1.1/");
        refused(noLoopback, "http://10.9.9.9/");
        refused(noLoopback, "http://intranet.example/");
        refused(noLoopback, "http://WIKI.corp.example./");
        refused(noLoopback, "http://[fd12:3456::1]/");
        // an address entry refuses that address; a name entry is matched by the URL's name
        refused(EmbedAddressGuard.Rules.of("93.184.216.34", "80"), "http://public.example/");
        refused(EmbedAddressGuard.Rules.of("public.example", "80"), "http://public.example/");
    }

    /** The fetcher under the guard, with a page server on loopback. */
    private HttpServer server;
    private HttpServer other;
    private final AtomicInteger otherHits = new AtomicInteger();

    @BeforeEach
    void startServers() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/page", exchange -> answer(exchange, 200, "text/html; charset=utf-8",
                "<title>Hello</title>".getBytes(StandardCharsets.UTF_8), Map.of()));
        server.createContext("/to-private", exchange -> answer(exchange, 302, null, new byte[0], Map.of("Location", "http://10.1.2.3/")));
        server.createContext("/to-metadata", exchange -> answer(exchange, 301, null, new byte[0],
                Map.of("Location", "http://169.254.169.254/latest/meta-data/")));
        server.createContext("/to-other-port", exchange -> answer(exchange, 307, null, new byte[0],
                Map.of("Location", "http://127.0.0.1:" + other.getAddress().getPort() + "/secret")));
        server.createContext("/to-page", exchange -> answer(exchange, 302, null, new byte[0], Map.of("Location", "/page")));
        server.createContext("/loop", exchange -> answer(exchange, 302, null, new byte[0], Map.of("Location", "/loop")));
        server.createContext("/big", exchange -> answer(exchange, 200, "text/html", new byte[1_000_000], Map.of()));
        server.createContext("/image", exchange -> answer(exchange, 200, "image/png", new byte[500_000], Map.of()));
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200, "text/html", new byte[10], Map.of());
        });
        other.createContext("/", exchange -> {
            otherHits.incrementAndGet();
            answer(exchange, 200, "text/html", "<title>secret</title>".getBytes(StandardCharsets.UTF_8), Map.of());
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        other.start();
    }

    @AfterEach
    void stopServers() {
        server.stop(0);
        other.stop(0);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String type, byte[] body,
            Map<String, String> headers) throws IOException {
        if (type != null) {
            exchange.getResponseHeaders().add("Content-Type", type);
        }
        headers.forEach(exchange.getResponseHeaders()::add);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // the fetcher stopped reading: what it is meant to do with a long body
        }
        exchange.close();
    }

    private PageFetcher fetcher(String ignoredHosts) {
        return new PageFetcher(guard(ignoredHosts, "80, " + server.getAddress().getPort()), Duration.ofSeconds(1),
                Duration.ofSeconds(1), 1024, 3);
    }

    private Optional<PageFetcher.Page> fetch(PageFetcher fetcher, String path) {
        return fetcher.fetch(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path), new PageFetcher.Request("test", "en"));
    }

    @Test
    void aRedirectIsCheckedLikeTheFirstUrl() {
        // loopback allowed (an administrator's list without it), the private ranges and port list kept
        PageFetcher fetcher = fetcher("10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16");
        assertThat(fetch(fetcher, "/page")).get().extracting(PageFetcher.Page::body).isEqualTo("<title>Hello</title>");
        assertThat(fetch(fetcher, "/to-page")).as("a redirect to an allowed place is followed").get()
                .extracting(page -> page.url().getPath()).isEqualTo("/page");
        long start = System.nanoTime();
        assertThat(fetch(fetcher, "/to-private")).as("a redirect to a private address").isEmpty();
        assertThat(fetch(fetcher, "/to-metadata")).as("a redirect to the cloud metadata address").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused before any connection is tried").isLessThan(Duration.ofMillis(900));
        assertThat(fetch(fetcher, "/to-other-port")).as("a redirect to a port not in API_EmbedSafePorts").isEmpty();
        assertThat(otherHits).as("the other port was never asked").hasValue(0);
        assertThat(fetch(fetcher, "/loop")).as("more redirects than allowed").isEmpty();
    }

    @Test
    void underTheDefaultsLoopbackIsNeverAsked() {
        assertThat(fetch(fetcher(EmbedAddressGuard.DEFAULT_IGNORED_HOSTS), "/page")).isEmpty();
    }

    @Test
    void aBodyIsReadUpToTheBoundAnImageNotAtAllASlowPageNotWaitedFor() {
        PageFetcher fetcher = fetcher("");
        assertThat(fetch(fetcher, "/big")).get().extracting(page -> page.body().length()).isEqualTo(1024);
        PageFetcher.Page image = fetch(fetcher, "/image").orElseThrow();
        assertThat(image.contentType()).isEqualTo("image/png");
        assertThat(image.contentLength()).isEqualTo(500_000L);
        assertThat(image.body()).isEmpty();
        long start = System.nanoTime();
        assertThat(fetch(fetcher, "/slow")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void theConnectionGoesToTheAddressesTheGuardCheckedNeverToASecondLookup() throws Exception {
        // a name whose first answer is allowed and every later one is not (DNS rebinding); the JVM's own resolver
        // does not know it at all, so only the checked answer can have been used
        AtomicInteger lookups = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> hostHeader = new java.util.concurrent.atomic.AtomicReference<>();
        server.createContext("/seen", exchange -> {
            hostHeader.set(exchange.getRequestHeaders().getFirst("Host"));
            answer(exchange, 200, "text/html", "<title>Seen</title>".getBytes(StandardCharsets.UTF_8), Map.of());
        });
        EmbedAddressGuard rebinding = new EmbedAddressGuard(null, host -> {
            if (!host.equals("rebind.example")) {
                throw new UnknownHostException(host);
            }
            String address = lookups.getAndIncrement() == 0 ? "127.0.0.1" : "10.9.9.9";
            return new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(address).getAddress())};
        }) {
            @Override
            public Rules rules() {
                return Rules.of("10.0.0.0/8", "80, " + server.getAddress().getPort());
            }
        };
        PageFetcher fetcher = new PageFetcher(rebinding, Duration.ofSeconds(1), Duration.ofSeconds(2), 1024, 3);
        try {
            URI url = URI.create("http://rebind.example:" + server.getAddress().getPort() + "/seen");
            assertThat(fetcher.fetch(url, new PageFetcher.Request("test", "en"))).get()
                    .extracting(PageFetcher.Page::body).isEqualTo("<title>Seen</title>");
            assertThat(lookups).as("one lookup, the guard's").hasValue(1);
            assertThat(hostHeader.get()).as("the request still names the host").isEqualTo("rebind.example:" + server.getAddress().getPort());
            assertThat(fetcher.fetch(url, new PageFetcher.Request("test", "en"))).as("the next answer is private: refused").isEmpty();
        } finally {
            fetcher.close();
        }
    }
}
