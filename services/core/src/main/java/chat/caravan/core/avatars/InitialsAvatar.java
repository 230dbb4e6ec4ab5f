package chat.caravan.core.avatars;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Rocket.Chat's fallback avatar: the first letter or digit of a name, white on a colour picked by the name's length. */
public final class InitialsAvatar {

    private static final String[] COLORS = {"#158D65", "#7F1B9F", "#B68D00", "#E26D0E", "#10529E", "#6C727A"};

    private InitialsAvatar() {
    }

    public static String color(String name) {
        return "?".equals(name) ? "#000" : COLORS[name.length() % COLORS.length];
    }

    public static String initial(String name) {
        if ("?".equals(name)) {
            return "?";
        }
        String letters = name.replaceAll("[^A-Za-z0-9]", "");
        return letters.isEmpty() ? "" : letters.substring(0, 1).toUpperCase(java.util.Locale.ROOT);
    }

    public static String svg(String name, int size) {
        double fontSize = size / 1.6;
        String font = fontSize == Math.rint(fontSize) ? String.valueOf((long) fontSize) : String.valueOf(fontSize);
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size + " " + size + "\">\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"" + color(name) + "\"/>\n"
                + "<text x=\"50%\" y=\"50%\" dy=\"0.36em\" text-anchor=\"middle\" pointer-events=\"none\" fill=\"#ffffff\" "
                + "font-family=\"'Helvetica', 'Arial', 'Lucida Grande', 'sans-serif'\" font-size=\"" + font + "\">\n"
                + initial(name) + "\n</text>\n</svg>";
    }

    /** The same picture as a bitmap, for {@code ?format=png|jpg|jpeg}. */
    public static BufferedImage image(String name, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = image.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            String hex = color(name);
            graphics.setColor("#000".equals(hex) ? Color.BLACK : Color.decode(hex));
            graphics.fillRect(0, 0, size, size);
            graphics.setColor(Color.WHITE);
            graphics.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, (int) Math.round(size / 1.6)));
            FontMetrics metrics = graphics.getFontMetrics();
            String text = initial(name);
            graphics.drawString(text, (size - metrics.stringWidth(text)) / 2, (size - metrics.getHeight()) / 2 + metrics.getAscent());
        } finally {
            graphics.dispose();
        }
        return image;
    }
}
