package dev.backendteam.ops.deployment.stack;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the deployment role reads from a pom.xml: coordinates, packaging, modules, dependencies (with scope), build
 * plugins and properties. DTDs and external entities are refused: the file comes from a user.
 */
public record MavenPom(String groupId, String artifactId, String packaging, List<String> modules,
        List<Dependency> dependencies, List<String> plugins, Map<String, String> properties, List<Exec> execs) {

    /**
     * An execution of exec-maven-plugin: the program it runs, in which folder ({@code ${project.basedir}/} taken off),
     * with which arguments, and the property that skips it ({@code <skip>${name}</skip>}, or null).
     */
    public record Exec(String executable, String workingDirectory, List<String> arguments, String skipProperty) {
    }

    public record Dependency(String groupId, String artifactId, String scope, String type) {
        public String key() {
            return groupId + ":" + artifactId;
        }

        public boolean runtime() {
            return scope == null || scope.equals("compile") || scope.equals("runtime");
        }
    }

    /** The pom, or empty with the reason when it is not well-formed XML or not a Maven project. */
    public static Result parse(String xml) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            javax.xml.parsers.DocumentBuilder builder = f.newDocumentBuilder();
            // the problem is returned to the caller; the default handler would also print it to stderr
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            Element project = builder
                    .parse(new ByteArrayInputStream((xml == null ? "" : xml).getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement();
            if (!project.getTagName().equals("project")) {
                return new Result(Optional.empty(), "the root element is <" + project.getTagName() + ">, not <project>");
            }
            Element parent = child(project, "parent");
            String groupId = text(project, "groupId");
            if (groupId == null && parent != null) {
                groupId = text(parent, "groupId");
            }
            List<String> modules = new ArrayList<>();
            Element mods = child(project, "modules");
            if (mods != null) {
                for (Element m : children(mods, "module")) {
                    modules.add(m.getTextContent().strip());
                }
            }
            List<Dependency> deps = new ArrayList<>();
            Element depsEl = child(project, "dependencies");
            if (depsEl != null) {
                for (Element d : children(depsEl, "dependency")) {
                    deps.add(new Dependency(text(d, "groupId"), text(d, "artifactId"), text(d, "scope"),
                            text(d, "type")));
                }
            }
            List<String> plugins = new ArrayList<>();
            List<Exec> execs = new ArrayList<>();
            Element build = child(project, "build");
            Element pluginsEl = build == null ? null : child(build, "plugins");
            if (pluginsEl != null) {
                for (Element p : children(pluginsEl, "plugin")) {
                    String g = text(p, "groupId");
                    plugins.add((g == null ? "org.apache.maven.plugins" : g) + ":" + text(p, "artifactId"));
                    if ("exec-maven-plugin".equals(text(p, "artifactId"))) {
                        execs.addAll(execs(p));
                    }
                }
            }
            Map<String, String> props = new LinkedHashMap<>();
            Element propsEl = child(project, "properties");
            if (propsEl != null) {
                for (Element p : children(propsEl, null)) {
                    props.put(p.getTagName(), p.getTextContent().strip());
                }
            }
            String packaging = text(project, "packaging");
            return new Result(Optional.of(new MavenPom(groupId, text(project, "artifactId"),
                    packaging == null ? "jar" : packaging, modules, deps, plugins, props, execs)), null);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            return new Result(Optional.empty(), "not well-formed XML: " + e.getMessage());
        }
    }

    public record Result(Optional<MavenPom> pom, String problem) {
    }

    private static List<Exec> execs(Element plugin) {
        List<Exec> out = new ArrayList<>();
        Element executions = child(plugin, "executions");
        List<Element> configs = new ArrayList<>();
        if (executions != null) {
            children(executions, "execution").forEach(e -> {
                Element c = child(e, "configuration");
                if (c != null) {
                    configs.add(c);
                }
            });
        }
        Element pluginConfig = child(plugin, "configuration");
        if (configs.isEmpty() && pluginConfig != null) {
            configs.add(pluginConfig);
        }
        for (Element c : configs) {
            String dir = text(c, "workingDirectory");
            if (dir != null) {
                dir = dir.replaceFirst("^\\$\\{(project\\.)?basedir}/?", "");
            }
            List<String> args = new ArrayList<>();
            Element argsEl = child(c, "arguments");
            if (argsEl != null) {
                children(argsEl, "argument").forEach(a -> args.add(a.getTextContent().strip()));
            }
            String skip = text(c, "skip");
            Matcher m = skip == null ? null : PROPERTY_REF.matcher(skip);
            out.add(new Exec(text(c, "executable"), dir, List.copyOf(args), m != null && m.matches() ? m.group(1) : null));
        }
        return out;
    }

    private static final Pattern PROPERTY_REF = Pattern.compile("\\$\\{([^}]+)}");

    public boolean hasPlugin(String key) {
        return plugins.contains(key);
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && (name == null || e.getTagName().equals(name))) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element c = child(parent, name);
        return c == null ? null : c.getTextContent().strip();
    }
}
