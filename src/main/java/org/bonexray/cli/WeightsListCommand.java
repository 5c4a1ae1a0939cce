package org.bonexray.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bonexray.io.Json;
import org.bonexray.model.weights.PretrainedStore;
import org.bonexray.model.weights.PretrainedWeights;
import org.bonexray.model.weights.WeightsEndpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray weights list}: the catalogue with each entry's state in the caches. */
@Command(name = "list", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Show the catalogue and whether each file is cached and verified.",
        description = {"For every entry: its source URL, pinned revision and digest (or that the hub's are used), and "
                + "its state in bonexray's cache and in the Hugging Face (timm) or torch hub (torchvision) cache: "
                + "verified, absent, or present but not usable and why. Reading a cached file to verify it takes a "
                + "moment per file.",
                "Exit codes: 0 ok, 1 failure."})
public final class WeightsListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cache", paramLabel = "DIR",
            description = "bonexray's weights cache (default: $BONEXRAY_CACHE/weights or ~/.cache/bonexray/weights).")
    Path cache;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PretrainedStore store = PretrainedStore.fromEnvironment(System.err, cache);
        WeightsEndpoints endpoints = WeightsEndpoints.fromEnvironment(System.getenv());
        ArrayNode entries = Json.MAPPER.createArrayNode();
        for (PretrainedWeights w : PretrainedWeights.values()) {
            ObjectNode e = entries.addObject();
            e.put("name", w.catalogueName());
            e.put("variant", w.variant());
            e.put("url", w.url(endpoints).toString());
            e.put("revision", w.revision().orElse(w.source() == PretrainedWeights.Source.TIMM_HUB
                    ? "not pinned: the commit the hub names for main, recorded at download" : "-"));
            e.put("digest", w.knownDigest().map(d -> d.describe() + (d.prefixOnly() ? " (torch.hub's check)" : " (pinned)"))
                    .orElse("not pinned: the SHA-256 the hub publishes (X-Linked-Etag), recorded at download"));
            ArrayNode caches = e.putArray("caches");
            store.states(w).forEach(f -> caches.addObject().put("cache", f.location()).put("path", f.path().toString())
                    .put("state", f.state()));
        }
        if (json) {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(entries));
        } else {
            for (var e : entries) {
                out.printf("%s (%s)%n  url:      %s%n  revision: %s%n  digest:   %s%n", e.get("name").asText(),
                        e.get("variant").asText(), e.get("url").asText(), e.get("revision").asText(), e.get("digest").asText());
                for (var c : e.get("caches")) {
                    out.printf("  %-20s %s%n  %20s %s%n", c.get("cache").asText() + ":", c.get("state").asText(), "",
                            c.get("path").asText());
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
