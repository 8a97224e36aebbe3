package io.streamgru.bench.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line of the end-to-end harnesses: {@code --name value} pairs, and {@code --set key=value}
 * StreamGRU settings for every run (repeatable). Both maps keep the order given and may be changed by
 * the harness (e.g. to remove the names it knows and refuse the rest).
 *
 * @param named    values by name, without the leading {@code --}
 * @param settings the {@code --set} settings
 */
record HarnessArguments(Map<String, String> named, Map<String, String> settings) {

    static HarnessArguments parse(String[] args) {
        Map<String, String> named = new LinkedHashMap<>();
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: --name value …; got " + args[i]);
            }
            if (args[i].equals("--set")) {
                String[] kv = args[i + 1].split("=", 2);
                settings.put(kv[0], kv[1]);
            } else {
                named.put(args[i].substring(2), args[i + 1]);
            }
        }
        return new HarnessArguments(named, settings);
    }
}
