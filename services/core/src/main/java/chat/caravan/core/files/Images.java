package chat.caravan.core.files;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * What uploads need from images, with the JDK's ImageIO and Java2D: dimensions read from the header only, and small
 * renditions (thumbnail, blurred-size preview) scaled by Java2D's bicubic interpolation.
 */
public final class Images {

    /** Images larger than this are not decoded for a thumbnail: decoding holds every pixel in memory. */
    static final long MAX_DECODED_PIXELS = 40_000_000L;

    private Images() {
    }

    /** An image's format ({@code png}, {@code jpeg}, ...) and size. */
    public record Identity(String format, int width, int height) {
    }

    /** Reads the format and size from the image's header; null when ImageIO cannot read this type. */
    public static Identity identify(InputStream content) throws IOException {
        try (ImageInputStream input = ImageIO.createImageInputStream(content)) {
            if (input == null) {
                return null;
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                return null;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                return new Identity(reader.getFormatName().toLowerCase(Locale.ROOT), reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The image scaled to fit inside {@code maxWidth} x {@code maxHeight}, or null when it cannot be decoded. */
    public static BufferedImage fitInside(InputStream content, int maxWidth, int maxHeight) throws IOException {
        BufferedImage image = ImageIO.read(content);
        return image == null ? null : scale(image, maxWidth, maxHeight);
    }

    /** {@code image} scaled to fit inside {@code maxWidth} x {@code maxHeight} (never enlarged). */
    public static BufferedImage scale(BufferedImage image, int maxWidth, int maxHeight) {
        double scale = Math.min(1.0, Math.min((double) maxWidth / image.getWidth(), (double) maxHeight / image.getHeight()));
        int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
        boolean alpha = image.getColorModel().hasAlpha();
        BufferedImage scaled = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D graphics = scaled.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            graphics.drawImage(image, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        return scaled;
    }

    /** Encodes as {@code format} (png, jpeg, gif, bmp); JPEG drops any alpha channel first. */
    public static byte[] encode(BufferedImage image, String format) throws IOException {
        BufferedImage output = image;
        if ("jpeg".equals(format) && image.getColorModel().hasAlpha()) {
            output = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D graphics = output.createGraphics();
            try {
                graphics.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
            } finally {
                graphics.dispose();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(output, format, out)) {
            throw new IOException("no ImageIO writer for " + format);
        }
        return out.toByteArray();
    }

    /** Rocket.Chat's {@code image_preview}: the image fitted in 32 x 32, as base64 JPEG. */
    public static String preview(BufferedImage image) throws IOException {
        BufferedImage small = scale(image, 32, 32);
        return Base64.getEncoder().encodeToString(encode(small, "jpeg"));
    }
}
