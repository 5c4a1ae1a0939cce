package org.bonexray;

import ai.djl.engine.Engine;

/** Versions recorded in manifests and printed by {@code --version}. */
public final class Versions {
    /** The libtorch version of the bundled native library (pinned in pom.xml). */
    public static final String PYTORCH = "2.7.1";

    private Versions() {
    }

    public static String bonexray() {
        String v = Versions.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Intra-op threads the engine was told to use (the launcher sets it from the core count). */
    public static int engineThreads() {
        String v = System.getProperty("ai.djl.pytorch.num_threads");
        try {
            return v == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    public static String djl() {
        String v = Engine.class.getPackage().getImplementationVersion();
        return v == null ? "0.36.0" : v;
    }
}
