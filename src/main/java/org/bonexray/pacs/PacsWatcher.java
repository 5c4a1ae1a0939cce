package org.bonexray.pacs;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bonexray.io.Progress;
import org.bonexray.io.StopSignal;
import org.bonexray.pacs.dicomweb.OrthancChanges;
import org.bonexray.pacs.dicomweb.PacsException;
import org.bonexray.pacs.dicomweb.RetryPolicy;

/**
 * Watches a PACS and scores each new stable study once: reads Orthanc's change feed for {@code StableStudy}
 * entries, queues their studies in the {@link WatchState} (saved before the feed position moves), then runs
 * each due study's round trip ({@link PacsScoring}) and notes the outcome, saving the state after every
 * study. A study whose round trip fails stays queued and is tried again with doubling back-off; a PACS that is
 * down only delays the watcher. A stop request is honoured between studies and ends every wait at once.
 * Logs name studies by UID only, never patient data.
 */
public final class PacsWatcher {
    private static final int PAGE = 100;

    private final OrthancChanges feed;
    private final PacsScoring scoring;
    private final WatchState state;
    private final Settings settings;
    private final StopSignal stop;
    private final PrintWriter out;
    private final PrintStream log;
    private final Clock clock;

    /**
     * @param pollInterval the wait between two looks at the feed when nothing is due
     * @param backoff how the wait before retrying a failed study grows with its failures
     * @param once stop when the feed has nothing more and no queued study is due, instead of watching on
     */
    public record Settings(Duration pollInterval, RetryPolicy backoff, boolean once) {
    }

    public PacsWatcher(OrthancChanges feed, PacsScoring scoring, WatchState state, Settings settings, StopSignal stop,
                       PrintWriter out, PrintStream log, Clock clock) {
        this.feed = feed;
        this.scoring = scoring;
        this.state = state;
        this.settings = settings;
        this.stop = stop;
        this.out = out;
        this.log = log;
        this.clock = clock;
    }

    /**
     * Watches until stopped (or, with {@code once}, until nothing is left to do now).
     *
     * @return false when, with {@code once}, the feed was unreachable or a study is still queued after a failure
     */
    public boolean run() {
        int feedFailures = 0;
        while (!stop.requested()) {
            boolean feedDone;
            try {
                feedDone = readFeed();
                feedFailures = 0;
            } catch (PacsException e) {
                if (e.kind() == PacsException.Kind.STOPPED) {
                    break;
                }
                feedFailures++;
                log.println("pacs watch: cannot read the change feed (" + e.getMessage() + "); retrying");
                if (settings.once()) {
                    return false;
                }
                stop.await(settings.backoff().delayAfter(feedFailures));
                continue;
            }
            int processed = processDue();
            if (settings.once() && feedDone && due().isEmpty()) {
                return state.pending().isEmpty();
            }
            if (feedDone && processed == 0) {
                stop.await(min(settings.pollInterval(), untilNextAttempt()));
            }
        }
        return true;
    }

    /** Takes in one page of the feed; true when the feed has nothing more for now. */
    private boolean readFeed() {
        OrthancChanges.Page page = feed.changes(state.lastChange(), PAGE);
        int queued = 0;
        for (OrthancChanges.Change c : page.changes()) {
            if (OrthancChanges.STABLE_STUDY.equals(c.type())) {
                String uid = feed.studyInstanceUid(c.resourceId());
                if (uid != null && state.enqueue(uid, clock.instant())) {
                    queued++;
                }
            }
        }
        state.advance(page.last());
        state.save();
        if (queued > 0) {
            log.println("pacs watch: " + queued + " new stable stud" + (queued == 1 ? "y" : "ies") + " queued (feed at "
                    + page.last() + ")");
        }
        return page.done();
    }

    /** Runs every due study; returns how many it tried. */
    private int processDue() {
        List<String> due = due();
        if (due.isEmpty()) {
            return 0;
        }
        Progress progress = new Progress(log, "pacs watch", due.size(), "studies");
        int tried = 0;
        for (String uid : due) {
            if (stop.requested()) {
                break;
            }
            process(uid);
            tried++;
            progress.step(1);
        }
        progress.finish();
        return tried;
    }

    private List<String> due() {
        Instant now = clock.instant();
        return state.pending().entrySet().stream().filter(e -> !e.getValue().nextAttemptAt().isAfter(now))
                .map(Map.Entry::getKey).toList();
    }

    private void process(String uid) {
        String now = clock.instant().toString();
        try {
            PacsScoring.Outcome o = scoring.run(uid, null, false, true);
            String status = o.status().name().toLowerCase(Locale.ROOT);
            switch (o.status()) {
                case STORED, ALREADY_REPORTED -> state.markDone(uid, new WatchState.Done(status,
                        o.json().path("report").path("series_instance_uid").asText(null),
                        o.json().path("label").asText(null), now));
                default -> state.markLeft(uid, new WatchState.Left(status, o.json().path("reason").asText(null), now));
            }
            state.save();
            out.println(o.json().toString());
            out.flush();
            log.println("pacs watch: study " + uid + ": " + status + describe(o));
        } catch (PacsException e) {
            if (e.kind() != PacsException.Kind.STOPPED) {
                failed(uid, e);
            } // stopped while waiting to retry: the study stays queued as it was
        } catch (RuntimeException e) {
            // whatever went wrong (the engine, a file), the study stays queued rather than lost
            failed(uid, e);
        }
    }

    private void failed(String uid, RuntimeException e) {
        int attempts = state.pending().containsKey(uid) ? state.pending().get(uid).attempts() + 1 : 1;
        Duration wait = settings.backoff().delayAfter(attempts);
        String reason = e instanceof PacsException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        state.markFailed(uid, clock.instant().plus(wait), reason);
        state.save();
        log.println("pacs watch: study " + uid + ": attempt " + attempts + " failed (" + reason + "); next try in "
                + Progress.format(wait));
    }

    private static String describe(PacsScoring.Outcome o) {
        if (o.status() == PacsScoring.Status.STORED) {
            return String.format(Locale.ROOT, " (%s, p=%.4f), report %s", o.json().path("label").asText(),
                    o.json().path("probability").asDouble(), o.json().path("report").path("sop_instance_uid").asText());
        }
        return o.json().hasNonNull("reason") ? " (" + o.json().path("reason").asText() + ")" : "";
    }

    private Duration untilNextAttempt() {
        Instant now = clock.instant();
        return state.pending().values().stream().map(WatchState.Pending::nextAttemptAt)
                .map(t -> Duration.between(now, t)).filter(d -> !d.isNegative()).min(Duration::compareTo)
                .orElse(settings.pollInterval());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
