package chat.caravan.core.files;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.apache.batik.bridge.EmbededExternalResourceSecurity;
import org.apache.batik.bridge.ExternalResourceSecurity;
import org.apache.batik.bridge.NoLoadScriptSecurity;
import org.apache.batik.bridge.ScriptSecurity;
import org.apache.batik.bridge.UserAgent;
import org.apache.batik.transcoder.TranscoderException;
import org.apache.batik.transcoder.TranscoderInput;
import org.apache.batik.transcoder.TranscoderOutput;
import org.apache.batik.transcoder.image.ImageTranscoder;
import org.apache.batik.util.ParsedURL;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

/**
 * SVG uploads, as Rocket.Chat treats them: their size read from the root element, and a raster rendition (for the PNG
 * thumbnail and the preview) drawn by Batik. An upload is untrusted: it is parsed without external entities or DTDs,
 * and drawn without scripts and without loading anything it links to (only {@code data:} URIs embedded in it).
 */
public final class SvgImages {

    public static final String MEDIA_TYPE = "image/svg+xml";
    private static final String SVG_NS = "http://www.w3.org/2000/svg";
    private static final String XLINK_NS = "http://www.w3.org/1999/xlink";
    private static final Pattern LENGTH = Pattern.compile("\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*(px|pt|pc|in|cm|mm)?\\s*");
    /** A rendition is never drawn larger than this on a side, whatever the document says. */
    private static final int MAX_SIDE = 4096;

    private SvgImages() {
    }

    /** The document's size in CSS pixels (width/height, or the viewBox); null when it is not an SVG document. */
    public static Images.Identity identify(InputStream content) throws IOException {
        Element root = parse(content).getDocumentElement();
        if (root == null || !"svg".equals(root.getLocalName()) || !SVG_NS.equals(root.getNamespaceURI())) {
            return null;
        }
        double[] viewBox = viewBox(root.getAttribute("viewBox"));
        double width = length(root.getAttribute("width"), viewBox == null ? -1 : viewBox[2]);
        double height = length(root.getAttribute("height"), viewBox == null ? -1 : viewBox[3]);
        if (width <= 0 || height <= 0) {
            return null;
        }
        return new Images.Identity("svg", (int) Math.max(1, Math.round(width)), (int) Math.max(1, Math.round(height)));
    }

    /**
     * The document drawn to fit inside {@code maxWidth} x {@code maxHeight}, keeping its proportions (made larger when
     * it is smaller, as Rocket.Chat's thumbnails are); an IOException says why it cannot be drawn.
     */
    public static BufferedImage render(InputStream content, Images.Identity size, int maxWidth, int maxHeight) throws IOException {
        double scale = Math.min((double) maxWidth / size.width(), (double) maxHeight / size.height());
        int width = (int) Math.min(MAX_SIDE, Math.max(1, Math.round(size.width() * scale)));
        int height = (int) Math.min(MAX_SIDE, Math.max(1, Math.round(size.height() * scale)));
        Document document = parse(content);
        withoutLinksOut(document.getDocumentElement());
        SafeTranscoder transcoder = new SafeTranscoder();
        transcoder.addTranscodingHint(ImageTranscoder.KEY_WIDTH, (float) width);
        transcoder.addTranscodingHint(ImageTranscoder.KEY_HEIGHT, (float) height);
        transcoder.addTranscodingHint(ImageTranscoder.KEY_EXECUTE_ONLOAD, Boolean.FALSE);
        transcoder.addTranscodingHint(ImageTranscoder.KEY_ALLOWED_SCRIPT_TYPES, "");
        transcoder.addTranscodingHint(ImageTranscoder.KEY_ALLOW_EXTERNAL_RESOURCES, Boolean.FALSE);
        try {
            transcoder.transcode(new TranscoderInput(document), new TranscoderOutput());
        } catch (TranscoderException | RuntimeException e) {
            throw new IOException("cannot draw the SVG: " + e.getMessage(), e);
        }
        return transcoder.image;
    }

    /**
     * Removes scripts, and the elements that would load another document or image ({@code image}, {@code use},
     * {@code feImage}, ... linking outside the document): the user agent refuses to load them, which would stop the
     * whole drawing, where a browser would draw the rest.
     */
    private static void withoutLinksOut(Element element) {
        org.w3c.dom.NodeList children = element.getChildNodes();
        for (int i = children.getLength() - 1; i >= 0; i--) {
            if (children.item(i) instanceof Element child) {
                String href = child.hasAttributeNS(XLINK_NS, "href") ? child.getAttributeNS(XLINK_NS, "href") : child.getAttribute("href");
                String link = href == null ? "" : href.trim().toLowerCase(Locale.ROOT);
                boolean linksOut = !link.isEmpty() && !link.startsWith("#") && !link.startsWith("data:");
                if ("script".equals(child.getLocalName()) || "foreignObject".equals(child.getLocalName())
                        || (linksOut && !"a".equals(child.getLocalName()))) {
                    element.removeChild(child);
                } else {
                    withoutLinksOut(child);
                }
            }
        }
    }

    /** XML without a DTD's help: no external entities, no external DTD, entity expansion bounded. */
    private static Document parse(InputStream content) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(content);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("not an SVG document: " + e.getMessage(), e);
        }
    }

    private static double[] viewBox(String value) {
        String[] parts = value == null ? new String[0] : value.trim().split("[\\s,]+");
        if (parts.length != 4) {
            return null;
        }
        try {
            double[] box = new double[4];
            for (int i = 0; i < 4; i++) {
                box[i] = Double.parseDouble(parts[i]);
            }
            return box[2] > 0 && box[3] > 0 ? box : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An absolute length in CSS pixels; a missing, relative (%, em) or bad one is {@code fallback}. */
    private static double length(String value, double fallback) {
        Matcher matcher = value == null ? null : LENGTH.matcher(value);
        if (matcher == null || !matcher.matches()) {
            return fallback;
        }
        double number = Double.parseDouble(matcher.group(1));
        String unit = matcher.group(2) == null ? "px" : matcher.group(2).toLowerCase(Locale.ROOT);
        return switch (unit) {
            case "pt" -> number * 96 / 72;
            case "pc" -> number * 16;
            case "in" -> number * 96;
            case "cm" -> number * 96 / 2.54;
            case "mm" -> number * 96 / 25.4;
            default -> number;
        };
    }

    /** Batik's image transcoder, keeping the image in memory, with a user agent that runs and loads nothing. */
    private static final class SafeTranscoder extends ImageTranscoder {

        private BufferedImage image;

        @Override
        public BufferedImage createImage(int width, int height) {
            return new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        }

        @Override
        public void writeImage(BufferedImage rendered, TranscoderOutput output) {
            this.image = rendered;
        }

        @Override
        protected UserAgent createUserAgent() {
            return new SVGAbstractTranscoderUserAgent() {
                @Override
                public ScriptSecurity getScriptSecurity(String scriptType, ParsedURL scriptURL, ParsedURL docURL) {
                    return new NoLoadScriptSecurity(scriptType);
                }

                @Override
                public ExternalResourceSecurity getExternalResourceSecurity(ParsedURL resourceURL, ParsedURL docURL) {
                    return new EmbededExternalResourceSecurity(resourceURL);
                }

                @Override
                public boolean isAllowExternalResources() {
                    return false;
                }
            };
        }
    }
}
