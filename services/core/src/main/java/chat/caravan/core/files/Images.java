package chat.caravan.core.files;

import java.awt.Graphics2D;
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

import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.tasks.UnsupportedFormatException;

/**
 * What uploads need from images: dimensions read from the header only (ImageIO), images decoded upright by their EXIF
 * orientation, and small renditions (thumbnail, blurred-size preview, avatars) made by Thumbnailator.
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

    /**
     * Decodes an image, turned upright by its EXIF orientation when {@code upright} (Rocket.Chat's
     * {@code FileUpload_RotateImages}); null when it cannot be decoded.
     */
    public static BufferedImage decode(InputStream content, boolean upright) throws IOException {
        try {
            return Thumbnails.of(content).scale(1.0).useExifOrientation(upright)
                    .asBufferedImage();
        } catch (UnsupportedFormatException e) {
            return null;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return null;
        }
    }

    /**
     * {@code image} scaled to fit inside {@code maxWidth} x {@code maxHeight} (never enlarged), by Thumbnailator's
     * progressive high-quality resizing (no aliasing when a photo becomes a thumbnail).
     */
    public static BufferedImage scale(BufferedImage image, int maxWidth, int maxHeight) throws IOException {
        if (image.getWidth() <= maxWidth && image.getHeight() <= maxHeight) {
            return image;
        }
        return Thumbnails.of(image).size(maxWidth, maxHeight).keepAspectRatio(true).asBufferedImage();
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
