package org.bonexray.score;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session a scoring job runs in. Under {@code spark-submit} (which sets {@code spark.master} before the
 * program starts) the job joins the session the cluster configured; otherwise it starts an embedded one on this
 * machine, {@code local[N]}, listening on the loopback address only and without the web UI, so that scoring a folder
 * needs no cluster and opens nothing to the network.
 */
public final class SparkSessions {
    private SparkSessions() {
    }

    /** @return whether this JVM was started by {@code spark-submit} (a master is already configured) */
    public static boolean underSparkSubmit() {
        return System.getProperty("spark.master") != null;
    }

    /**
     * @param requested the master asked for on the command line
     * @return the master the job will run on: spark-submit's when under it, else the one asked for
     */
    public static String effectiveMaster(String requested) {
        return underSparkSubmit() ? System.getProperty("spark.master") : requested;
    }

    /**
     * @param master a master URL
     * @return whether executors share this JVM (and so its files): {@code local}, {@code local[N]}, {@code local[*]}
     */
    public static boolean isLocal(String master) {
        return master.strip().startsWith("local");
    }

    /**
     * @param master a master URL
     * @return the task slots of an embedded {@code local}, {@code local[N]} or {@code local[*]} master; 0 for others
     */
    public static int localSlots(String master) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?])?").matcher(master.strip());
        if (!m.matches()) {
            return 0;
        }
        if (m.group(1) == null) {
            return 1;
        }
        return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    }

    /**
     * @param master {@code local[N]} or a cluster URL; ignored under spark-submit, which chose it already
     * @return the session (the caller stops it when it started an embedded one)
     */
    public static SparkSession start(String master) {
        SparkConf conf = new SparkConf().setAppName("bonexray score");
        if (!underSparkSubmit()) {
            conf.setMaster(master)
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.ui.enabled", "false")
                    .set("spark.sql.shuffle.partitions", "8");
        }
        // The job prints its own progress; Spark's console bar would interleave with it.
        conf.set("spark.ui.showConsoleProgress", "false");
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
