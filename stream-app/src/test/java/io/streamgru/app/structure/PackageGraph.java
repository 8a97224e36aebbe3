package io.streamgru.app.structure;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Which package uses which, among the packages under one prefix, as the JDK's {@code jdeps} reads
 * them from compiled classes (constant pools, so imports that are never used do not count, and
 * every real use does, including fully qualified names), plus the sources' imports: a use of a
 * compile-time constant alone leaves no trace in the class that uses it (the compiler copies the
 * value), but its import does. For each package dependency it keeps one class-level example, so a
 * cycle can be reported with the classes that make it.
 */
final class PackageGraph {

    /** jdeps' {@code -verbose:class} line: {@code   a.b.C   -> d.e.F   archive}. */
    private static final Pattern CLASS_EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+.*$");
    /** An import line: {@code import a.b.C;}, {@code import static a.b.C.NAME;} (not {@code a.b.*}). */
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)\\s*;\\s*$");

    private final Map<String, Map<String, String>> uses = new TreeMap<>();

    /** Adds that {@code fromClass} uses {@code toClass}; a use inside one package is no edge. */
    void addClassUse(String fromClass, String toClass) {
        String from = packageOf(fromClass);
        String to = packageOf(toClass);
        uses.computeIfAbsent(from, p -> new TreeMap<>());
        uses.computeIfAbsent(to, p -> new TreeMap<>());
        if (!from.equals(to)) {
            uses.get(from).putIfAbsent(to, fromClass + " -> " + toClass);
        }
    }

    /** Reads the classes in the given class directories or jars with jdeps, keeping uses within {@code prefix}. */
    static PackageGraph ofClasses(String prefix, List<Path> locations) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException(
                "no jdeps tool in this JVM (module jdk.jdeps): run the tests on a full JDK"));
        List<String> args = new ArrayList<>(List.of("-verbose:class", "-filter:none",
                "-e", Pattern.quote(prefix) + ".*"));
        locations.forEach(l -> args.add(l.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        if (exit != 0) {
            throw new IllegalStateException("jdeps " + args + " failed (" + exit + "): " + err);
        }
        PackageGraph graph = new PackageGraph();
        for (String line : out.toString().split("\\R")) {
            Matcher m = CLASS_EDGE.matcher(line);
            if (m.matches() && m.group(1).startsWith(prefix) && m.group(2).startsWith(prefix)) {
                graph.addClassUse(m.group(1), m.group(2));
            }
        }
        return graph;
    }

    /**
     * Adds the imports (static ones too) of the Java sources under {@code sourceRoots} that name a
     * type under {@code prefix}. A type's package is the part of its name before the first
     * capitalised segment, so nested types ({@code a.b.Outer.Inner}) count for {@code a.b}.
     */
    void addSourceImports(String prefix, List<Path> sourceRoots) throws IOException {
        for (Path root : sourceRoots) {
            List<Path> sources;
            try (Stream<Path> files = Files.walk(root)) {
                sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
            }
            for (Path source : sources) {
                String relative = root.relativize(source).toString().replace(java.io.File.separatorChar, '.');
                String fromClass = relative.substring(0, relative.length() - ".java".length());
                for (String line : Files.readAllLines(source)) {
                    Matcher m = IMPORT.matcher(line);
                    if (m.matches() && m.group(1).startsWith(prefix)) {
                        addClassUse(fromClass, typeOf(m.group(1)));
                    }
                }
            }
        }
    }

    /** The type an import names: everything up to its first capitalised segment (then a member or nested type). */
    private static String typeOf(String imported) {
        String[] parts = imported.split("\\.");
        StringBuilder type = new StringBuilder();
        for (String part : parts) {
            type.append(type.length() == 0 ? "" : ".").append(part);
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
        }
        return type.toString();
    }

    /** Where the class was loaded from: its module's class directory or jar. */
    static Path locationOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Set<String> packages() {
        return uses.keySet();
    }

    /**
     * A set of packages that all reach each other, and one shortest path around it, e.g.
     * {@code [a, b, a]} for {@code {a, b, c}} when a and b use each other and c is also caught in it.
     */
    record Cycle(Set<String> packages, List<String> path) {
    }

    /** Every cycle, one per strongly connected component of packages; empty when the packages are acyclic. */
    List<Cycle> cycles() {
        List<Cycle> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnectedComponents()) {
            if (component.size() > 1) {
                cycles.add(new Cycle(component, shortestCycleThrough(component.iterator().next(), component)));
            }
        }
        return cycles;
    }

    /** The cycle's packages, its path and the class use that makes each step of the path. */
    String describe(Cycle cycle) {
        List<String> path = cycle.path();
        StringBuilder text = new StringBuilder("packages " + cycle.packages() + ", e.g. " + String.join(" -> ", path));
        for (int i = 0; i + 1 < path.size(); i++) {
            text.append("\n    ").append(uses.get(path.get(i)).get(path.get(i + 1)));
        }
        return text.toString();
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    /** Breadth-first from {@code start} back to itself, staying inside the component. */
    private List<String> shortestCycleThrough(String start, Set<String> component) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String p = queue.poll();
            for (String next : uses.get(p).keySet()) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String at = p; !at.equals(start); at = cameFrom.get(at)) {
                        path.add(1, at);
                    }
                    path.add(start);
                    return path;
                }
                if (component.contains(next) && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, p);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException(start + " is in no cycle of " + component);
    }

    /** Tarjan's algorithm, iterative so deep package chains cannot overflow the stack. */
    private List<Set<String>> stronglyConnectedComponents() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String root : uses.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Map.Entry<String, Iterator<String>>> work = new ArrayDeque<>();
            visit(root, index, low, stack, onStack, work);
            while (!work.isEmpty()) {
                Map.Entry<String, Iterator<String>> top = work.peek();
                String p = top.getKey();
                if (top.getValue().hasNext()) {
                    String next = top.getValue().next();
                    if (!index.containsKey(next)) {
                        visit(next, index, low, stack, onStack, work);
                    } else if (onStack.contains(next)) {
                        low.put(p, Math.min(low.get(p), index.get(next)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(p)));
                }
                if (low.get(p).equals(index.get(p))) {
                    Set<String> component = new TreeSet<>();
                    String member;
                    do {
                        member = stack.pop();
                        onStack.remove(member);
                        component.add(member);
                    } while (!member.equals(p));
                    components.add(component);
                }
            }
        }
        return components;
    }

    private void visit(String p, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                       Set<String> onStack, Deque<Map.Entry<String, Iterator<String>>> work) {
        index.put(p, index.size());
        low.put(p, index.get(p));
        stack.push(p);
        onStack.add(p);
        work.push(Map.entry(p, uses.get(p).keySet().iterator()));
    }
}
