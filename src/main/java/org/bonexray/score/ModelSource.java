package org.bonexray.score;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkFiles;
import org.apache.spark.api.java.JavaSparkContext;
import org.bonexray.model.Ensembles;
import org.bonexray.model.ModelArtifact;

/**
 * Where an executor finds the model artifact {@code predict} uses: at the same path (embedded runs, or a folder
 * every node mounts), among the files Spark shipped with the job ({@link JavaSparkContext#addFile}, for a local
 * folder and a cluster), or on a Hadoop file system (an {@code hdfs://} or object-store URI), copied once to a
 * local temporary folder. An ensemble's member folders go with it: shipped as one folder (Spark keeps file names,
 * not paths, so the members' equally named files could not be shipped one by one), or copied member by member.
 *
 * @param location the model folder as the user named it
 * @param kind how executors reach it
 */
public record ModelSource(String location, Kind kind) implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The artifact's files (manifest.json is optional). */
    static final List<String> FILES = List.of("model.json", "weights.params", "manifest.json");

    /** How executors reach the model. */
    public enum Kind { SAME_PATH, SHIPPED, SHIPPED_FOLDER, HADOOP }

    /**
     * Chooses how to reach the model and ships it when needed.
     *
     * @param location a local folder or a Hadoop URI
     * @param ship whether to ship a local folder with the job (needed on a cluster unless every node mounts it)
     */
    static ModelSource prepare(String location, boolean ship, JavaSparkContext sc) {
        java.net.URI uri = java.net.URI.create(location.replace(" ", "%20"));
        if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
            return new ModelSource(location, Kind.HADOOP);
        }
        if (!ship) {
            return new ModelSource(location, Kind.SAME_PATH);
        }
        java.nio.file.Path dir = java.nio.file.Path.of(location);
        if (ModelArtifact.readDescription(dir).isEnsemble()) {
            sc.addFile(dir.toAbsolutePath().toString(), true);
            return new ModelSource(location, Kind.SHIPPED_FOLDER);
        }
        for (String name : FILES) {
            if (Files.isRegularFile(dir.resolve(name))) {
                sc.addFile(dir.resolve(name).toAbsolutePath().toString());
            }
        }
        return new ModelSource(location, Kind.SHIPPED);
    }

    /** @return a local folder holding the artifact, on this executor */
    java.nio.file.Path localFolder() {
        return switch (kind) {
            case SAME_PATH -> java.nio.file.Path.of(location);
            case SHIPPED -> java.nio.file.Path.of(SparkFiles.get("model.json")).getParent();
            case SHIPPED_FOLDER -> java.nio.file.Path.of(SparkFiles.get(
                    java.nio.file.Path.of(location).toAbsolutePath().normalize().getFileName().toString()));
            case HADOOP -> copyToLocal();
        };
    }

    private static void copyArtifact(FileSystem fs, org.apache.hadoop.fs.Path remote, java.nio.file.Path local)
            throws IOException {
        for (String name : FILES) {
            org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(remote, name);
            if (fs.exists(file)) {
                fs.copyToLocalFile(false, file, new org.apache.hadoop.fs.Path(local.resolve(name).toUri()), true);
            }
        }
    }

    private java.nio.file.Path copyToLocal() {
        try {
            java.nio.file.Path dir = Files.createTempDirectory("bonexray-model-");
            org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(location);
            FileSystem fs = remote.getFileSystem(new Configuration());
            copyArtifact(fs, remote, dir);
            for (String member : ModelArtifact.readDescription(dir).members()) {
                java.nio.file.Path local = Ensembles.memberDir(dir, member); // refuses a member outside the model
                Files.createDirectories(local);
                copyArtifact(fs, new org.apache.hadoop.fs.Path(remote, member), local);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the model from " + location + ": " + e.getMessage(), e);
        }
    }
}
