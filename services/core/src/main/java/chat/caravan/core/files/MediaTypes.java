package chat.caravan.core.files;

import java.util.Locale;
import java.util.Map;

import chat.caravan.common.settings.Settings;
import org.springframework.stereotype.Component;

/**
 * A file's media type as Rocket.Chat decides it (the client's type when it names another extension than the file's,
 * otherwise the type of the file's extension, else {@code application/octet-stream}), and whether the
 * {@code FileUpload_MediaTypeWhiteList} / {@code BlackList} settings accept it.
 */
@Component
public class MediaTypes {

    public static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("bmp", "image/bmp"),
            Map.entry("svg", "image/svg+xml"), Map.entry("ico", "image/x-icon"), Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"), Map.entry("heic", "image/heic"), Map.entry("avif", "image/avif"),
            Map.entry("txt", "text/plain"), Map.entry("text", "text/plain"), Map.entry("log", "text/plain"),
            Map.entry("lst", "text/plain"), Map.entry("conf", "text/plain"), Map.entry("ini", "text/plain"),
            Map.entry("csv", "text/csv"), Map.entry("html", "text/html"), Map.entry("htm", "text/html"),
            Map.entry("css", "text/css"), Map.entry("md", "text/markdown"), Map.entry("xml", "application/xml"),
            Map.entry("json", "application/json"), Map.entry("js", "application/javascript"),
            Map.entry("pdf", "application/pdf"), Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"), Map.entry("tar", "application/x-tar"),
            Map.entry("7z", "application/x-7z-compressed"), Map.entry("rtf", "application/rtf"),
            Map.entry("doc", "application/msword"), Map.entry("xls", "application/vnd.ms-excel"),
            Map.entry("ppt", "application/vnd.ms-powerpoint"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            Map.entry("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            Map.entry("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
            Map.entry("odt", "application/vnd.oasis.opendocument.text"),
            Map.entry("mp3", "audio/mpeg"), Map.entry("wav", "audio/wav"), Map.entry("ogg", "audio/ogg"),
            Map.entry("oga", "audio/ogg"), Map.entry("m4a", "audio/mp4"), Map.entry("aac", "audio/aac"),
            Map.entry("weba", "audio/webm"), Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"),
            Map.entry("mov", "video/quicktime"), Map.entry("ogv", "video/ogg"), Map.entry("avi", "video/x-msvideo"),
            Map.entry("mkv", "video/x-matroska"), Map.entry("3gp", "video/3gpp"),
            Map.entry("exe", "application/x-msdownload"), Map.entry("msi", "application/x-msi"),
            Map.entry("apk", "application/vnd.android.package-archive"), Map.entry("dmg", "application/x-apple-diskimage"),
            Map.entry("sh", "application/x-sh"), Map.entry("jar", "application/java-archive"));

    private final Settings settings;

    public MediaTypes(Settings settings) {
        this.settings = settings;
    }

    /**
     * The file's type: {@code declared} (from the client) wins when it is specific and names another extension than
     * the file's, or one this table does not know (an {@code application/x-msdownload} {@code .exe} stays what it is).
     */
    public static String of(String declared, String fileName) {
        String extension = extension(fileName);
        String declaredType = declared == null ? "" : declared.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!declaredType.isEmpty() && !OCTET_STREAM.equals(declaredType)) {
            String declaredExtension = extensionOf(declaredType);
            if (declaredExtension == null || !declaredExtension.equals(extension)) {
                return declaredType;
            }
        }
        String byName = BY_EXTENSION.get(extension);
        return byName != null ? byName : OCTET_STREAM;
    }

    /** The file name's extension, lower case, or "" when it has none. */
    public static String extension(String fileName) {
        if (fileName == null) {
            return "";
        }
        int dot = fileName.lastIndexOf('.');
        return dot < 0 || dot == fileName.length() - 1 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static String extensionOf(String type) {
        String found = null;
        for (Map.Entry<String, String> entry : BY_EXTENSION.entrySet()) {
            if (entry.getValue().equals(type)) {
                if (found == null || entry.getKey().length() < found.length()) {
                    found = entry.getKey();
                }
            }
        }
        return found;
    }

    /** Rocket.Chat's rule: a type the black list names (exactly or as {@code image/*}) is refused; then the white list, if any. */
    public boolean accepted(String type) {
        return accepted(type, null);
    }

    /** As {@link #accepted(String)}, with {@code alsoAllowed} (encrypted files' octet-stream) past the white list. */
    public boolean accepted(String type, String alsoAllowed) {
        String blackList = settings.string("FileUpload_MediaTypeBlackList", "image/svg+xml");
        if (listed(blackList, type)) {
            return false;
        }
        if (type != null && type.equals(alsoAllowed)) {
            return true;
        }
        String whiteList = settings.string("FileUpload_MediaTypeWhiteList", "");
        return whiteList == null || whiteList.isBlank() || listed(whiteList, type);
    }

    private static boolean listed(String list, String type) {
        if (list == null || list.isBlank() || type == null) {
            return false;
        }
        for (String entry : list.split(",")) {
            String item = entry.trim().toLowerCase(Locale.ROOT);
            if (item.isEmpty()) {
                continue;
            }
            if (item.equals(type) || (item.endsWith("/*") && type.startsWith(item.substring(0, item.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
