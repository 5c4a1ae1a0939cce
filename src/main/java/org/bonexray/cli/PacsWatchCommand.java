package org.bonexray.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.bonexray.io.StopSignal;
import org.bonexray.pacs.PacsWatcher;
import org.bonexray.pacs.ScoringSession;
import org.bonexray.pacs.WatchState;
import org.bonexray.pacs.dicomweb.DicomWebClient;
import org.bonexray.pacs.dicomweb.OrthancChanges;
import org.bonexray.pacs.dicomweb.PacsException;
import org.bonexray.pacs.dicomweb.RetryPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bonexray pacs watch}: scores each new stable study of an Orthanc PACS once, one JSON line per study. */
@Command(name = "watch", mixinStandardHelpOptions = true, showDefaultValues = true,
        header = "Watch an Orthanc PACS and score every new stable upper-extremity study once.",
        description = {"Follows Orthanc's change feed (StableStudy) and runs `pacs score`'s round trip for each new "
                + "study, printing its JSON as one line. Progress lives in --state (rewritten atomically after every "
                + "study), so a restart neither skips nor repeats a study; a study whose round trip fails is retried "
                + "with doubling back-off, and a PACS that is down only delays it. Before storing, it looks for this "
                + "model's report in the study, so a crash between storing and saving never gives two reports.",
                "Ctrl-C (SIGINT) or SIGTERM stops it between studies with its state intact: exit 130 or 143. "
                + "Exit codes otherwise: 0 ok, 1 failure (--once: the PACS unreachable or a study left to retry), "
                + "2 bad usage, 3 bad data (an unreadable --state)."})
public final class PacsWatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PacsOptions pacs;

    @Mixin
    PacsModelOptions model;

    @Option(names = "--state", defaultValue = "bonexray-watch-state.json", paramLabel = "FILE",
            description = "The watch state (feed position, studies queued, done and left alone); made when absent.")
    Path stateFile;

    @Option(names = "--orthanc-url", paramLabel = "URL",
            description = "Orthanc's REST root for its change feed (default: --url without its /dicom-web/).")
    URI orthancUrl;

    @Option(names = "--poll-s", defaultValue = "5", description = "Seconds between looks at the feed when idle.")
    long pollSeconds;

    @Option(names = "--study-retry-max-s", defaultValue = "600",
            description = "Longest wait before retrying a study whose round trip failed, in seconds (it doubles from 5).")
    long studyRetryMaxSeconds;

    @Option(names = "--once", description = "Stop once the feed is read and no queued study is due (for cron or tests).")
    boolean once;

    @Override
    public Integer call() throws Exception {
        StopSignal stop = StopSignal.install();
        DicomWebClient client = pacs.client(stop::await);
        URI root = orthancUrl != null ? orthancUrl : OrthancChanges.rootBeside(client.http().endpoint().dicomWeb());
        if (root == null) {
            throw new UsageException("--url does not end in /dicom-web/: give Orthanc's REST root with --orthanc-url");
        }
        RetryPolicy backoff = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(5),
                Duration.ofSeconds(Math.max(5, studyRetryMaxSeconds)));
        PrintWriter err = spec.commandLine().getErr();
        try (ScoringSession session = model.open(client)) {
            WatchState state = WatchState.load(stateFile, client.http().endpoint().dicomWeb().toString(), session.modelId());
            PacsWatcher watcher = new PacsWatcher(new OrthancChanges(client.http(), root), session.scoring(), state,
                    new PacsWatcher.Settings(Duration.ofSeconds(Math.max(1, pollSeconds)), backoff, once), stop,
                    spec.commandLine().getOut(), System.err, Clock.systemUTC());
            err.println("bonexray watching " + root + " with model " + session.modelId() + ", state " + stateFile
                    + " (feed at " + state.lastChange() + ", " + state.pending().size() + " queued, "
                    + state.done().size() + " done)");
            err.flush();
            boolean clean = watcher.run();
            if (stop.requested()) {
                err.println("bonexray: stopped; state saved in " + stateFile);
                return stop.exitCode();
            }
            return clean ? ExitCodes.OK : ExitCodes.FAILURE;
        } catch (PacsException e) {
            return PacsCommand.failure(e, err);
        }
    }
}
