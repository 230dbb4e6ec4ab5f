package chat.caravan.core.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;

import chat.caravan.core.avatars.AvatarUrlFetcherAccess;
import org.junit.jupiter.api.Test;

/** A file's type as Rocket.Chat decides it, and which addresses an avatarUrl may not reach. */
class MediaTypesTest {

    @Test
    void theTypeComesFromTheNameUnlessTheClientNamesAnotherSpecificType() {
        assertThat(MediaTypes.of("application/octet-stream", "lst-test.lst")).isEqualTo("text/plain");
        assertThat(MediaTypes.of(null, "diagram.drawio")).isEqualTo("application/octet-stream");
        assertThat(MediaTypes.of("image/png", "photo.png")).isEqualTo("image/png");
        assertThat(MediaTypes.of("image/jpeg", "photo.png")).isEqualTo("image/jpeg");
        assertThat(MediaTypes.of("application/x-msdownload", "setup.exe")).isEqualTo("application/x-msdownload");
        assertThat(MediaTypes.of(null, "setup.exe")).isEqualTo("application/x-msdownload");
        assertThat(MediaTypes.of("application/x-custom-thing", "data.bin")).isEqualTo("application/x-custom-thing");
        assertThat(MediaTypes.extension("a.B.JPG")).isEqualTo("jpg");
    }

    @Test
    void internalAddressesAreRecognised() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1"}) {
            assertThat(AvatarUrlFetcherAccess.internal(InetAddress.getByName(internal))).as(internal).isTrue();
        }
        assertThat(AvatarUrlFetcherAccess.internal(InetAddress.getByName("8.8.8.8"))).isFalse();
    }
}
