package dev.backendteam.contract.nativeimage;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.signature.SignatureReader;
import org.objectweb.asm.signature.SignatureVisitor;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.RecordComponentNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SimpleVerifier;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a native image of a service must carry that the closed-world analysis cannot see, read from the compiled
 * classes (test fixture, libs/contract test-jar): the types Jackson reads or writes by reflection, the types the
 * {@code @RegisterForReflection} classes register, and the resources. The services' NativeConfigurationTest compare
 * them, so a record added to a mapped type, or a catalogue file added under a new folder, fails a JVM test instead of
 * a native image at run time.
 *
 * <p>Jackson's types are found from the call sites: a class literal, a {@code TypeReference} or a value handed to a
 * mapper's read/convert/write method (or to a method of ours that hands its parameter on, such as
 * {@code Json.read(payload, type)}), then everything their record components, fields and creator parameters name.
 * Only types of this project ({@code dev.backendteam.}) count: the libraries register their own.
 */
public final class NativeReadiness {
    private static final String OURS = "dev/backendteam/";
    private static final String REGISTER = "Lio/quarkus/runtime/annotations/RegisterForReflection;";
    private static final Set<String> MAPPERS = Set.of("com/fasterxml/jackson/databind/ObjectMapper",
            "com/fasterxml/jackson/databind/ObjectReader", "com/fasterxml/jackson/databind/ObjectWriter",
            "com/fasterxml/jackson/dataformat/yaml/YAMLMapper", "com/fasterxml/jackson/databind/json/JsonMapper");
    private static final Set<String> MAPPING_METHODS = Set.of("readValue", "readValues", "treeToValue", "convertValue",
            "valueToTree", "writeValueAsString", "writeValueAsBytes", "writeValue", "readerFor", "writerFor",
            "updateValue", "forType");

    private final Map<String, ClassNode> classes = new HashMap<>();
    private final ClassLoader loader;

    private NativeReadiness(Collection<Path> classRoots, ClassLoader loader) {
        this.loader = loader;
        for (Path root : classRoots) {
            forEachFile(root, (name, in) -> {
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    ClassNode node = new ClassNode();
                    new ClassReader(in).accept(node, 0);
                    classes.putIfAbsent(node.name, node);
                }
            });
        }
    }

    /** The classes of these roots (directories or jars), analysed together so that calls between them are followed. */
    public static NativeReadiness of(Collection<Path> classRoots, ClassLoader loader) {
        return new NativeReadiness(classRoots, loader);
    }

    /** The directory or jar a class was loaded from: target/classes of a module, or its jar. */
    public static Path classRoot(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Binary names (a.b.C$D) of the records and enums of one root. */
    public static Set<String> recordsAndEnums(Path classRoot) {
        NativeReadiness root = new NativeReadiness(List.of(classRoot), NativeReadiness.class.getClassLoader());
        Set<String> found = new TreeSet<>();
        for (ClassNode c : root.classes.values()) {
            if (isRecord(c) || isEnum(c)) {
                found.add(binary(c.name));
            }
        }
        return found;
    }

    /** Binary names of what the {@code @RegisterForReflection} classes among the analysed classes register. */
    public Registrations registrations() {
        Set<String> direct = new TreeSet<>();
        Set<String> withNested = new TreeSet<>();
        for (ClassNode c : classes.values()) {
            AnnotationNode a = annotation(c, REGISTER);
            if (a == null) {
                continue;
            }
            List<String> targets = new ArrayList<>();
            boolean ignoreNested = false;
            for (int i = 0; a.values != null && i < a.values.size(); i += 2) {
                String key = (String) a.values.get(i);
                Object value = a.values.get(i + 1);
                switch (key) {
                    case "targets" -> ((List<?>) value).forEach(t -> targets.add(binary(((Type) t).getInternalName())));
                    case "classNames" -> ((List<?>) value).forEach(t -> targets.add((String) t));
                    case "ignoreNested" -> ignoreNested = (Boolean) value;
                    default -> { }
                }
            }
            if (targets.isEmpty()) {
                targets.add(binary(c.name));
            }
            direct.addAll(targets);
            if (!ignoreNested) {
                withNested.addAll(targets);
            }
        }
        return new Registrations(direct, withNested, this);
    }

    /** What a set of {@code @RegisterForReflection} classes registers; nested types of a target unless ignoreNested. */
    public record Registrations(Set<String> targets, Set<String> withNested, NativeReadiness classes) {
        public boolean covers(String binaryName) {
            if (targets.contains(binaryName)) {
                return true;
            }
            String enclosing = binaryName;
            while (enclosing.contains("$")) {
                enclosing = enclosing.substring(0, enclosing.lastIndexOf('$'));
                if (withNested.contains(enclosing)) {
                    return true;
                }
            }
            return false;
        }

        /** Those of {@code required} that are not registered. */
        public Set<String> missing(Collection<String> required) {
            Set<String> missing = new TreeSet<>();
            required.stream().filter(r -> !covers(r)).forEach(missing::add);
            return missing;
        }
    }

    /**
     * Binary names of this project's types Jackson maps by reflection from the analysed classes: the call sites'
     * types and all they contain. Only concrete classes, records and enums (Jackson needs no reflection on an
     * interface it does not instantiate).
     */
    public Set<String> jacksonTypes() {
        Set<String> roots = new LinkedHashSet<>();
        for (ClassNode c : classes.values()) {
            if (isTypeReference(c) && c.signature != null) {
                roots.addAll(namedIn(c.signature));
            }
        }
        Map<String, Set<Integer>> forwarding = forwardingMethods();
        for (ClassNode c : classes.values()) {
            for (MethodNode m : c.methods) {
                roots.addAll(callSiteTypes(c, m, forwarding));
            }
        }
        Set<String> closure = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            ClassNode c = classes.get(name);
            if (!name.startsWith(OURS) || c == null || isTypeReference(c) || !closure.add(name)) {
                continue;
            }
            todo.addAll(contained(c));
        }
        Set<String> result = new TreeSet<>();
        for (String name : closure) {
            ClassNode c = classes.get(name);
            if (c != null && (c.access & (Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT)) == 0) {
                result.add(binary(name));
            }
        }
        return result;
    }

    /** Types a mapped type names in its state: record components, instance fields, constructor parameters, subtypes. */
    private Set<String> contained(ClassNode c) {
        Set<String> names = new LinkedHashSet<>();
        if (c.recordComponents != null) {
            for (RecordComponentNode rc : c.recordComponents) {
                names.addAll(namedIn(rc.signature != null ? rc.signature : rc.descriptor));
            }
        }
        for (FieldNode f : c.fields) {
            if ((f.access & Opcodes.ACC_STATIC) == 0) {
                names.addAll(namedIn(f.signature != null ? f.signature : f.desc));
            }
        }
        for (MethodNode m : c.methods) {
            if ("<init>".equals(m.name) && (m.access & Opcodes.ACC_PUBLIC) != 0) {
                names.addAll(namedIn(m.signature != null ? m.signature : m.desc));
            }
        }
        if (c.permittedSubclasses != null) {
            names.addAll(c.permittedSubclasses);
        }
        return names;
    }

    /**
     * Methods of ours that hand a parameter on to a mapper (or to another such method): the index of each parameter
     * (in the descriptor's argument list) that ends up as a mapper's value, type or type reference.
     */
    private Map<String, Set<Integer>> forwardingMethods() {
        Map<String, Set<Integer>> forwarding = new HashMap<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ClassNode c : classes.values()) {
                for (MethodNode m : c.methods) {
                    Set<Integer> params = forwardedParameters(c, m, forwarding);
                    if (!params.isEmpty()) {
                        Set<Integer> known = forwarding.computeIfAbsent(key(c.name, m.name, m.desc), k -> new HashSet<>());
                        changed |= known.addAll(params);
                    }
                }
            }
        }
        return forwarding;
    }

    private Set<Integer> forwardedParameters(ClassNode c, MethodNode m, Map<String, Set<Integer>> forwarding) {
        Set<Integer> params = new HashSet<>();
        Frame<SourceValue>[] frames = sources(c, m);
        if (frames == null) {
            return params;
        }
        Map<Integer, Integer> slotToParam = parameterSlots(m);
        for (int i = 0; i < m.instructions.size(); i++) {
            AbstractInsnNode insn = m.instructions.get(i);
            if (!(insn instanceof MethodInsnNode call) || frames[i] == null) {
                continue;
            }
            for (int arg : mappedArguments(call, forwarding)) {
                for (AbstractInsnNode producer : argument(frames[i], call, arg).insns) {
                    if (producer instanceof VarInsnNode load && producer.getOpcode() == Opcodes.ALOAD
                            && slotToParam.containsKey(load.var)) {
                        params.add(slotToParam.get(load.var));
                    }
                }
            }
        }
        return params;
    }

    private Set<String> callSiteTypes(ClassNode c, MethodNode m, Map<String, Set<Integer>> forwarding) {
        Set<String> found = new LinkedHashSet<>();
        boolean calls = false;
        for (AbstractInsnNode insn : m.instructions) {
            calls |= insn instanceof MethodInsnNode call && !mappedArguments(call, forwarding).isEmpty();
        }
        if (!calls) {
            return found;
        }
        Frame<SourceValue>[] sources = sources(c, m);
        Frame<BasicValue>[] types = types(c, m);
        for (int i = 0; i < m.instructions.size(); i++) {
            AbstractInsnNode insn = m.instructions.get(i);
            if (!(insn instanceof MethodInsnNode call) || sources == null || sources[i] == null) {
                continue;
            }
            for (int arg : mappedArguments(call, forwarding)) {
                for (AbstractInsnNode producer : argument(sources[i], call, arg).insns) {
                    if (producer instanceof LdcInsnNode ldc && ldc.cst instanceof Type t && t.getSort() == Type.OBJECT) {
                        found.add(t.getInternalName());
                    }
                }
                if (types != null && types[i] != null) {
                    Type t = argument(types[i], call, arg).getType();
                    if (t != null && t.getSort() == Type.OBJECT) {
                        found.add(t.getInternalName());
                    }
                }
            }
        }
        return found;
    }

    /** Indexes of a call's arguments that Jackson maps: the value, class, type reference or Java type. */
    private List<Integer> mappedArguments(MethodInsnNode call, Map<String, Set<Integer>> forwarding) {
        List<Integer> args = new ArrayList<>();
        Set<Integer> ours = forwarding.get(key(call.owner, call.name, call.desc));
        if (ours != null) {
            args.addAll(ours);
        } else if (MAPPERS.contains(call.owner) && MAPPING_METHODS.contains(call.name)) {
            Type[] params = Type.getArgumentTypes(call.desc);
            for (int a = 0; a < params.length; a++) {
                String p = params[a].getInternalName();
                if (params[a].getSort() == Type.OBJECT && (p.equals("java/lang/Object") || p.equals("java/lang/Class")
                        || p.equals("com/fasterxml/jackson/core/type/TypeReference"))) {
                    args.add(a);
                }
            }
        }
        return args;
    }

    private static <V extends org.objectweb.asm.tree.analysis.Value> V argument(Frame<V> frame, MethodInsnNode call,
            int arg) {
        int count = Type.getArgumentTypes(call.desc).length;
        return frame.getStack(frame.getStackSize() - count + arg);
    }

    /** Local slot of each parameter, by its index in the descriptor. */
    private static Map<Integer, Integer> parameterSlots(MethodNode m) {
        Map<Integer, Integer> slots = new HashMap<>();
        int slot = (m.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        Type[] params = Type.getArgumentTypes(m.desc);
        for (int p = 0; p < params.length; p++) {
            slots.put(slot, p);
            slot += params[p].getSize();
        }
        return slots;
    }

    private static Frame<SourceValue>[] sources(ClassNode c, MethodNode m) {
        if (m.instructions.size() == 0) {
            return null;
        }
        try {
            return new Analyzer<>(new SourceInterpreter()).analyze(c.name, m);
        } catch (AnalyzerException e) {
            throw new IllegalStateException("cannot analyse " + c.name + "." + m.name, e);
        }
    }

    private Frame<BasicValue>[] types(ClassNode c, MethodNode m) {
        SimpleVerifier verifier = new SimpleVerifier(Type.getObjectType(c.name),
                c.superName == null ? null : Type.getObjectType(c.superName),
                c.interfaces.stream().map(Type::getObjectType).toList(), (c.access & Opcodes.ACC_INTERFACE) != 0);
        verifier.setClassLoader(loader);
        try {
            return new Analyzer<>(verifier).analyze(c.name, m);
        } catch (AnalyzerException | RuntimeException e) {
            // a type the verifier cannot load: the class literals and type references still count
            return null;
        }
    }

    private static String key(String owner, String name, String desc) {
        return owner + "." + name + desc;
    }

    /** Internal names of the classes a descriptor or generic signature names. */
    static Set<String> namedIn(String signature) {
        Set<String> names = new LinkedHashSet<>();
        new SignatureReader(signature).accept(new SignatureVisitor(Opcodes.ASM9) {
            private String outer;

            @Override
            public void visitClassType(String name) {
                outer = name;
                names.add(name);
            }

            @Override
            public void visitInnerClassType(String name) {
                outer = outer + "$" + name;
                names.add(outer);
            }
        });
        return names;
    }

    private static AnnotationNode annotation(ClassNode c, String desc) {
        for (List<AnnotationNode> list : Stream.of(c.visibleAnnotations, c.invisibleAnnotations)
                .filter(Objects::nonNull).toList()) {
            for (AnnotationNode a : list) {
                if (desc.equals(a.desc)) {
                    return a;
                }
            }
        }
        return null;
    }

    private static boolean isTypeReference(ClassNode c) {
        return "com/fasterxml/jackson/core/type/TypeReference".equals(c.superName);
    }

    private static boolean isRecord(ClassNode c) {
        return "java/lang/Record".equals(c.superName);
    }

    private static boolean isEnum(ClassNode c) {
        return (c.access & Opcodes.ACC_ENUM) != 0 && "java/lang/Enum".equals(c.superName);
    }

    private static String binary(String internalName) {
        return internalName.replace('/', '.');
    }

    // ---- resources --------------------------------------------------------------------------------------------

    /** Paths (a/b/C$D.class) of the class files of a root. */
    public static Set<String> classes(Path root) {
        Set<String> found = new TreeSet<>();
        forEachFile(root, (name, in) -> {
            if (name.endsWith(".class")) {
                found.add(name);
            }
        });
        return found;
    }

    /** Paths (a/b/c.yaml) of the files of a root that are not classes. */
    public static Set<String> resources(Path root) {
        Set<String> found = new TreeSet<>();
        forEachFile(root, (name, in) -> {
            if (!name.endsWith(".class")) {
                found.add(name);
            }
        });
        return found;
    }

    /**
     * Files the includes need not name: those read only at build time, and those Quarkus puts in the image itself,
     * static web resources (META-INF/resources) and Flyway's migrations (NativeSourcesContract checks that it does).
     */
    public static boolean includedByQuarkus(String resource) {
        return buildTimeOnly(resource) || resource.startsWith("META-INF/resources/")
                || resource.startsWith("db/migration/");
    }

    /** Files read only while building (configuration, CDI and service descriptors, native-image configuration). */
    public static boolean buildTimeOnly(String resource) {
        return resource.equals("application.properties") || resource.equals("META-INF/microprofile-config.properties")
                || resource.equals("META-INF/beans.xml") || resource.equals("META-INF/MANIFEST.MF")
                || resource.equals("META-INF/jandex.idx") || resource.startsWith("META-INF/services/")
                || resource.startsWith("META-INF/native-image/") || resource.startsWith("META-INF/maven/");
    }

    /** {@code quarkus.native.resources.includes}: comma-separated globs, {@code *} within a folder, {@code **} across. */
    public static Predicate<String> globs(String commaSeparated) {
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : commaSeparated.split(",")) {
            if (!glob.isBlank()) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.strip()));
            }
        }
        return path -> matchers.stream().anyMatch(m -> m.matches(Path.of(path)));
    }

    /** The patterns of the resource-config.json files a library ships under META-INF/native-image. */
    public static Predicate<String> shippedResourceConfig(Path root) {
        List<Pattern> patterns = new ArrayList<>();
        Pattern entry = Pattern.compile("\"pattern\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
        forEachFile(root, (name, in) -> {
            if (name.startsWith("META-INF/native-image/") && name.endsWith("resource-config.json")) {
                var m = entry.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                while (m.find()) {
                    patterns.add(Pattern.compile(m.group(1).replace("\\\\", "\\")));
                }
            }
        });
        return path -> patterns.stream().anyMatch(p -> p.matcher(path).matches());
    }

    private interface FileAction {
        void accept(String relativeName, InputStream in) throws IOException;
    }

    private static void forEachFile(Path root, FileAction action) {
        try {
            if (Files.isDirectory(root)) {
                walk(root, action);
            } else {
                try (FileSystem jar = FileSystems.newFileSystem(root)) {
                    walk(jar.getPath("/"), action);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void walk(Path root, FileAction action) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = root.relativize(file).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(file)) {
                    action.accept(name, in);
                }
            }
        }
    }
}
