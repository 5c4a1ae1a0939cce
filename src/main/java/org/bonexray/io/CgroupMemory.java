package org.bonexray.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The memory limit of the control group this process runs in (a container's, a systemd slice's, a batch job's), and
 * how much of it is still free, in KiB.
 *
 * <p>Inside a container /proc/meminfo describes the host, but the out-of-memory killer strikes at the group's limit,
 * so {@link SystemMemory} takes the lower of the two. Reads cgroup v2 ({@code memory.max}, {@code memory.current})
 * and v1 ({@code memory.limit_in_bytes}, {@code memory.usage_in_bytes}), at this process's group and every group
 * above it up to the mount point, since a limit set on a parent binds its children too. Hand-rolled: the JVM's own
 * container metrics are internal ({@code jdk.internal.platform}), and its public free-memory figure counts the page
 * cache as used, which the kernel reclaims before it kills anyone.
 *
 * @param limitKib the tightest limit above this process
 * @param headroomKib the least, over the limited groups, of limit less working set (usage less inactive page cache,
 *     as the kernel and container runtimes count it)
 */
record CgroupMemory(long limitKib, long headroomKib) {
    /** cgroup v1 writes "no limit" as the largest page-aligned long; anything above 2^60 bytes is no limit either. */
    private static final long UNLIMITED_BYTES = 1L << 60;

    /**
     * Where this process's memory group lies, found once: a process does not move between groups, and training reads
     * the figures after every step.
     */
    private static final Optional<Location> SELF =
            locate(Path.of("/proc/self/cgroup"), Path.of("/proc/self/mountinfo"), Path.of("/"));

    /** @return this process's group limit, empty where there is none, or no cgroup file system to read */
    static Optional<CgroupMemory> now() {
        return SELF.flatMap(Location::measure);
    }

    /**
     * @param cgroupFile a {@code /proc/PID/cgroup} file
     * @param mountinfo a {@code /proc/PID/mountinfo} file
     * @param root where the mount points it names are found ("/", or a test's folder)
     * @return the tightest limit over the memory controller's groups, empty when none is limited or readable
     */
    static Optional<CgroupMemory> read(Path cgroupFile, Path mountinfo, Path root) {
        return locate(cgroupFile, mountinfo, root).flatMap(Location::measure);
    }

    private static Optional<Location> locate(Path cgroupFile, Path mountinfo, Path root) {
        try {
            List<String> groups = Files.readAllLines(cgroupFile);
            List<String> mounts = Files.readAllLines(mountinfo);
            for (Hierarchy h : Hierarchy.values()) {
                Optional<Path> leaf = leafDirectory(h, groups, mounts, root);
                if (leaf.isPresent() && Files.isReadable(leaf.get().resolve(h.limitFile))) {
                    return Optional.of(new Location(h, leaf.get(), mountPoint(h, mounts, root).orElseThrow()));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not Linux, or files we cannot read: the host's figures stand alone
        }
    }

    /**
     * A memory group and the mount point of its hierarchy, above which no group is read.
     *
     * @param hierarchy which layout its files follow
     * @param leaf this process's group
     * @param top the hierarchy's mount point
     */
    private record Location(Hierarchy hierarchy, Path leaf, Path top) {
        Optional<CgroupMemory> measure() {
            try {
                return tightest(hierarchy, leaf, top);
            } catch (IOException | RuntimeException e) {
                return Optional.empty(); // a group removed or a file garbled: the host's figures stand alone
            }
        }
    }

    /** The two layouts of the memory controller; v2 first, since hybrid hosts mount an empty v2 beside v1. */
    private enum Hierarchy {
        V2("memory.max", "memory.current", "inactive_file"),
        V1("memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file");

        final String limitFile;
        final String usageFile;
        final String inactiveFileKey;

        Hierarchy(String limitFile, String usageFile, String inactiveFileKey) {
            this.limitFile = limitFile;
            this.usageFile = usageFile;
            this.inactiveFileKey = inactiveFileKey;
        }

        /** Whether a /proc/PID/cgroup line ("id:controllers:path") is this hierarchy's memory group. */
        boolean names(String[] cgroupLine) {
            return this == V2 ? cgroupLine[0].equals("0") && cgroupLine[1].isEmpty()
                    : List.of(cgroupLine[1].split(",")).contains("memory");
        }

        /** Whether a mountinfo line's file system type and super options are this hierarchy's. */
        boolean mounts(String fsType, String superOptions) {
            return this == V2 ? fsType.equals("cgroup2")
                    : fsType.equals("cgroup") && List.of(superOptions.split(",")).contains("memory");
        }
    }

    private static Optional<Path> leafDirectory(Hierarchy h, List<String> groups, List<String> mounts, Path root) {
        String group = null;
        for (String line : groups) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && h.names(parts)) {
                group = parts[2];
            }
        }
        Optional<String[]> mount = mount(h, mounts);
        if (group == null || mount.isEmpty()) {
            return Optional.empty();
        }
        String mountRoot = mount.get()[0];
        // A container without its own cgroup namespace sees the host's path of its group, and a mount of that group
        // as root: the part below the mount's root is what lies under the mount point.
        String below = mountRoot.equals("/") ? group
                : group.startsWith(mountRoot) ? group.substring(mountRoot.length()) : "/";
        return Optional.of(under(root, mount.get()[1]).resolve(below.replaceFirst("^/+", "")).normalize());
    }

    private static Optional<Path> mountPoint(Hierarchy h, List<String> mounts, Path root) {
        return mount(h, mounts).map(m -> under(root, m[1]));
    }

    /** @return the mount's root and mount point, from the first mountinfo line of this hierarchy */
    private static Optional<String[]> mount(Hierarchy h, List<String> mounts) {
        for (String line : mounts) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] fields = line.substring(0, dash).split(" ");
            String[] tail = line.substring(dash + 3).split(" ");
            if (fields.length >= 5 && tail.length >= 3 && h.mounts(tail[0], tail[2])) {
                return Optional.of(new String[] {fields[3], fields[4]});
            }
        }
        return Optional.empty();
    }

    private static Path under(Path root, String absolute) {
        return root.resolve(absolute.replaceFirst("^/+", ""));
    }

    private static Optional<CgroupMemory> tightest(Hierarchy h, Path leaf, Path top) throws IOException {
        long limit = Long.MAX_VALUE;
        long headroom = Long.MAX_VALUE;
        for (Path dir = leaf; dir != null && dir.startsWith(top); dir = dir.getParent()) {
            Path limitFile = dir.resolve(h.limitFile);
            if (!Files.isReadable(limitFile)) {
                continue; // the v2 root group has no memory.max
            }
            String text = Files.readString(limitFile).trim();
            long limitBytes = text.equals("max") ? Long.MAX_VALUE : Long.parseLong(text);
            if (limitBytes >= UNLIMITED_BYTES) {
                continue;
            }
            long used = Long.parseLong(Files.readString(dir.resolve(h.usageFile)).trim())
                    - inactiveFileBytes(dir.resolve("memory.stat"), h.inactiveFileKey);
            limit = Math.min(limit, limitBytes / 1024);
            headroom = Math.min(headroom, Math.max(0, limitBytes - Math.max(0, used)) / 1024);
        }
        return limit == Long.MAX_VALUE ? Optional.empty() : Optional.of(new CgroupMemory(limit, headroom));
    }

    /** @return the page cache the kernel would drop before it kills, or 0 where memory.stat does not say */
    private static long inactiveFileBytes(Path stat, String key) throws IOException {
        if (!Files.isReadable(stat)) {
            return 0;
        }
        for (String line : Files.readAllLines(stat)) {
            if (line.startsWith(key + " ")) {
                return Long.parseLong(line.substring(key.length() + 1).trim());
            }
        }
        return 0;
    }
}
