package chat.caravan.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The client address as Meteor's HTTP_FORWARDED_COUNT computes it: only trusted proxies' entries are believed. */
class ClientAddressTest {

    @Test
    void withNoTrustedProxyTheHeaderIsIgnored() {
        assertThat(new ClientAddress(0).of("192.0.2.1", "203.0.113.9")).isEqualTo("192.0.2.1");
    }

    @Test
    void behindNProxiesTheNthEntryFromTheRightIsTheClient() {
        assertThat(new ClientAddress(1).of("10.0.0.2", "6.6.6.6, 198.51.100.4")).isEqualTo("198.51.100.4");
        assertThat(new ClientAddress(2).of("10.0.0.2", "6.6.6.6,198.51.100.4 , 10.0.0.1")).isEqualTo("198.51.100.4");
        assertThat(new ClientAddress(1).of("10.0.0.2", List.of("6.6.6.6", "198.51.100.4"))).isEqualTo("198.51.100.4");
    }

    @Test
    void aRequestThatBypassedTheProxiesIsTakenAtItsSocket() {
        assertThat(new ClientAddress(1).of("192.0.2.1", null)).isEqualTo("192.0.2.1");
        assertThat(new ClientAddress(2).of("192.0.2.1", "198.51.100.4")).isEqualTo("192.0.2.1");
    }

    @Test
    void rateLimitsCountIpv6ByItsSlash64() {
        assertThat(ClientAddress.rateLimitKey("2001:db8:1:2:aaaa::1")).isEqualTo(ClientAddress.rateLimitKey("2001:db8:1:2:bbbb::9"))
                .isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.rateLimitKey("2001:db8:1:3::1")).isNotEqualTo(ClientAddress.rateLimitKey("2001:db8:1:2::1"));
        assertThat(ClientAddress.rateLimitKey("198.51.100.4")).isEqualTo("198.51.100.4");
    }
}
