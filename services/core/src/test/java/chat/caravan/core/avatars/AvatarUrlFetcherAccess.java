package chat.caravan.core.avatars;

import java.net.InetAddress;

/** Test access to the fetcher's address rule. */
public final class AvatarUrlFetcherAccess {

    private AvatarUrlFetcherAccess() {
    }

    public static boolean internal(InetAddress address) {
        return AvatarUrlFetcher.internal(address);
    }
}
