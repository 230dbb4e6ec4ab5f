package chat.caravan.common.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import chat.caravan.common.CaravanProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.RouteWatcherReloadStrategy;
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
                Set<RouteDefinition> before = routeDefinitions(camelContext);
                try {
                    PluginHelper.getRoutesLoader(camelContext).loadRoutes(file);
                } catch (Exception e) {
                    throw new RouteFileException(file.getLocation(), rootMessage(e), e);
                }
                for (RouteDefinition route : routeDefinitions(camelContext)) {
                    if (!before.contains(route)) {
                        requireKnownEndpoints(camelContext, route, file.getLocation());
                    }
                }
            }
            LOG.info("Route group {}: {} file(s) from {}", group, files.size(),
                    files.isEmpty() ? "nowhere" : files.get(0).getScheme().startsWith("file") ? "disk" : "the jar");
            watch(camelContext, group);
        }
    }

    /**
     * With {@code CARAVAN_ROUTES_RELOAD=true}, a route file of the group's folder that changes or appears is loaded
     * again, its routes replaced by id while the others keep running. Files with REST definitions are left to a restart:
     * reloading one would register its paths twice.
     */
    private void watch(CamelContext camelContext, String group) {
        String dir = properties.getRoutesDir();
        if (!properties.isRoutesReload() || dir == null || dir.isBlank() || !Files.isDirectory(Path.of(dir, group))) {
            return;
        }
        RouteWatcherReloadStrategy reload = new RouteWatcherReloadStrategy(Path.of(dir, group).toAbsolutePath().toString(), false);
        reload.setPattern("*.yaml");
        reload.setRemoveAllRoutes(false);
        reload.setFileFilter(file -> file.getName().endsWith(".yaml") && !hasRestDefinitions(file.toPath()));
        try {
            camelContext.addService(reload);
        } catch (Exception e) {
            throw new RouteFileException(Path.of(dir, group).toString(), "cannot watch for changes: " + e.getMessage(), e);
        }
        LOG.info("Route group {}: reloading changed files of {}", group, Path.of(dir, group));
    }

    private static boolean hasRestDefinitions(Path file) {
        try {
            return Files.readAllLines(file).stream().anyMatch(line -> line.startsWith("- rest:"));
        } catch (IOException e) {
            return true;
        }
    }

    private static Set<RouteDefinition> routeDefinitions(CamelContext camelContext) {
        Set<RouteDefinition> definitions = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        definitions.addAll(((ModelCamelContext) camelContext).getRouteDefinitions());
        return definitions;
    }

    /**
     * Every endpoint a route names by a fixed URI has a component on the classpath, and every bean it calls exists:
     * otherwise start-up stops here, naming the file, rather than later with only a route id.
     */
    private static void requireKnownEndpoints(CamelContext camelContext, RouteDefinition route, String file) {
        List<String> uris = new ArrayList<>();
        if (route.getInput() != null) {
            uris.add(route.getInput().getEndpointUri());
        }
        for (SendDefinition<?> send : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), SendDefinition.class)) {
            uris.add(send.getEndpointUri());
        }
        for (String raw : uris) {
            if (raw == null || raw.contains("${")) {
                continue;
            }
            String uri;
            try {
                uri = camelContext.resolvePropertyPlaceholders(raw);
            } catch (RuntimeException e) {
                throw new RouteFileException(file, "endpoint " + raw + ": " + e.getMessage(), e);
            }
            int colon = uri.indexOf(':');
            String scheme = colon < 0 ? uri : uri.substring(0, colon);
            if (camelContext.getComponent(scheme) == null) {
                throw new RouteFileException(file, "unknown endpoint " + raw + " (no component '" + scheme
                        + "' on the classpath; routes/README.md lists those that are)", null);
            }
            if (scheme.equals("bean")) {
                String name = uri.substring(colon + 1).split("\\?")[0];
                if (camelContext.getRegistry().lookupByName(name) == null) {
                    throw new RouteFileException(file, "unknown bean in endpoint " + raw, null);
                }
            }
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
