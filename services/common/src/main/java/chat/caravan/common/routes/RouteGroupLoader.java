package chat.caravan.common.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import chat.caravan.common.CaravanProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Loads the YAML route files of this deployable's route groups: from {@code CARAVAN_ROUTES_DIR/<group>/*.yaml} when
 * that directory holds the group, otherwise the defaults packaged under {@code routes/<group>/} in the jar. A file
 * that does not load stops start-up with a message naming it.
 */
public class RouteGroupLoader {

    private static final Logger LOG = LoggerFactory.getLogger(RouteGroupLoader.class);

    private final CaravanProperties properties;

    public RouteGroupLoader(CaravanProperties properties) {
        this.properties = properties;
    }

    public void load(CamelContext camelContext) {
        for (String group : properties.routeGroups()) {
            List<Resource> files = filesOf(camelContext, group);
            for (Resource file : files) {
                try {
                    PluginHelper.getRoutesLoader(camelContext).loadRoutes(file);
                } catch (Exception e) {
                    throw new RouteFileException(file.getLocation(), rootMessage(e), e);
                }
            }
            LOG.info("Route group {}: {} file(s) from {}", group, files.size(),
                    files.isEmpty() ? "nowhere" : files.get(0).getScheme().startsWith("file") ? "disk" : "the jar");
        }
    }

    private List<Resource> filesOf(CamelContext camelContext, String group) {
        String dir = properties.getRoutesDir();
        if (dir != null && !dir.isBlank()) {
            Path groupDir = Path.of(dir, group);
            if (Files.isDirectory(groupDir)) {
                try (Stream<Path> paths = Files.list(groupDir)) {
                    return paths.filter(p -> p.toString().endsWith(".yaml"))
                            .sorted(Comparator.comparing(Path::toString))
                            .map(p -> ResourceHelper.resolveResource(camelContext, "file:" + p.toAbsolutePath()))
                            .toList();
                } catch (IOException e) {
                    throw new RouteFileException(groupDir.toString(), e.getMessage(), e);
                }
            }
        }
        try {
            var found = new PathMatchingResourcePatternResolver().getResources("classpath*:routes/" + group + "/*.yaml");
            List<Resource> resources = new ArrayList<>();
            Arrays.stream(found)
                    .sorted(Comparator.comparing(r -> String.valueOf(r.getFilename())))
                    .forEach(r -> resources.add(ResourceHelper.resolveResource(camelContext,
                            "classpath:routes/" + group + "/" + r.getFilename())));
            return resources;
        } catch (IOException e) {
            throw new RouteFileException("classpath:routes/" + group, e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }

    /** A route file that could not be read, parsed or built. */
    public static class RouteFileException extends RuntimeException {
        public RouteFileException(String file, String problem, Throwable cause) {
            super("Route file " + file + " could not be loaded: " + problem, cause);
        }
    }
}
