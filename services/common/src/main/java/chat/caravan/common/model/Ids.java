package chat.caravan.common.model;

import java.security.SecureRandom;

/** Document ids in Rocket.Chat's format: 17 characters from Meteor's unambiguous alphabet. */
public final class Ids {

    private static final char[] ALPHABET = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String random() {
        return random(17);
    }

    public static String random(int length) {
        char[] id = new char[length];
        for (int i = 0; i < length; i++) {
            id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(id);
    }
}
