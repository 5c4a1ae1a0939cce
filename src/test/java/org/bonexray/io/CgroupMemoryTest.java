package org.bonexray.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Control group limits read from /proc and /sys trees the tests write, in the layouts real hosts have. */
@Timeout(30)
class CgroupMemoryTest {
    private static final long GIB = 1L << 30;
    private static final long KIB_PER_GIB = 1L << 20;
    private static final String V2_MOUNT = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate";
    private static final String V1_MOUNT = "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory";
    /** cgroup v1's "no limit": the largest page-aligned long. */
    private static final long V1_UNLIMITED = 9_223_372_036_854_771_712L;

    @TempDir
    Path root;

    @Test
    void aContainersV2LimitAndItsHeadroomLessReclaimableCache() throws IOException {
        Path group = group("sys/fs/cgroup", "memory.max", 8 * GIB, "memory.current", 6 * GIB, "inactive_file", GIB);
        CgroupMemory m = read("0::/\n", V2_MOUNT).orElseThrow();
        assertEquals(8 * KIB_PER_GIB, m.limitKib());
        assertEquals(3 * KIB_PER_GIB, m.headroomKib()); // 8 - (6 - 1): the inactive cache would be dropped first
        Files.writeString(group.resolve("memory.max"), "max\n");
        assertEquals(Optional.empty(), read("0::/\n", V2_MOUNT), "max means no limit");
    }

    @Test
    void aLimitOnAParentGroupBindsTheLeaf() throws IOException {
        group("sys/fs/cgroup/batch.slice", "memory.max", 4 * GIB, "memory.current", 3 * GIB + GIB / 2,
                "inactive_file", 0);
        Path leaf = root.resolve("sys/fs/cgroup/batch.slice/job-7.scope");
        Files.createDirectories(leaf);
        Files.writeString(leaf.resolve("memory.max"), "max\n");
        Files.writeString(leaf.resolve("memory.current"), String.valueOf(GIB));
        CgroupMemory m = read("0::/batch.slice/job-7.scope\n", V2_MOUNT).orElseThrow();
        assertEquals(4 * KIB_PER_GIB, m.limitKib());
        assertEquals(KIB_PER_GIB / 2, m.headroomKib());
    }

    @Test
    void v1WithTheHostsPathAndAsADockerMountOfTheGroupItself() throws IOException {
        String hostPath = "4:memory:/process_api/abc\n3:cpuset:/\n0::/\n";
        Path leaf = group("sys/fs/cgroup/memory/process_api/abc", "memory.limit_in_bytes", V1_UNLIMITED,
                "memory.usage_in_bytes", 15 * GIB, "total_inactive_file", GIB);
        assertEquals(Optional.empty(), read(hostPath, V1_MOUNT), "v1's unlimited is no limit");
        Files.writeString(leaf.resolve("memory.limit_in_bytes"), String.valueOf(16 * GIB));
        assertEquals(new CgroupMemory(16 * KIB_PER_GIB, 2 * KIB_PER_GIB), read(hostPath, V1_MOUNT).orElseThrow());

        // Docker without a cgroup namespace: the group's host path, and a mount whose root is that path.
        Path docker = root.resolve("docker");
        Files.createDirectories(docker);
        group("docker/sys/fs/cgroup/memory", "memory.limit_in_bytes", 2 * GIB, "memory.usage_in_bytes", GIB,
                "total_inactive_file", 0);
        String mount = "35 31 0:32 /docker/f00d /sys/fs/cgroup/memory ro,nosuid - cgroup cgroup rw,memory";
        Files.writeString(docker.resolve("cgroup"), "9:memory:/docker/f00d\n");
        Files.writeString(docker.resolve("mountinfo"), mount + "\n");
        assertEquals(new CgroupMemory(2 * KIB_PER_GIB, KIB_PER_GIB),
                CgroupMemory.read(docker.resolve("cgroup"), docker.resolve("mountinfo"), docker).orElseThrow());
    }

    @Test
    void aHybridHostsEmptyV2MountGivesWayToV1() throws IOException {
        Files.createDirectories(root.resolve("sys/fs/cgroup/unified")); // no memory controller: no memory.max
        group("sys/fs/cgroup/memory/job", "memory.limit_in_bytes", 6 * GIB, "memory.usage_in_bytes", GIB,
                "total_inactive_file", 0);
        String mounts = "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n" + V1_MOUNT;
        assertEquals(6 * KIB_PER_GIB, read("4:memory:/job\n0::/\n", mounts).orElseThrow().limitKib());
    }

    @Test
    void missingOrGarbledFilesGiveNoLimitAndNoException() throws IOException {
        assertEquals(Optional.empty(), read("0::/\n", V2_MOUNT), "no group folder");
        assertEquals(Optional.empty(), read("not a cgroup file", "nor a mountinfo"));
        Path group = root.resolve("sys/fs/cgroup");
        Files.createDirectories(group);
        Files.writeString(group.resolve("memory.max"), "lots\n");
        assertEquals(Optional.empty(), read("0::/\n", V2_MOUNT), "an unparsable limit");
        assertEquals(Optional.empty(), CgroupMemory.read(root.resolve("none"), root.resolve("none"), root));
    }

    @Test
    void theLowerOfHostAndGroupIsWhatTheWatchWarnsAbout() {
        SystemMemory host = new SystemMemory(24 * KIB_PER_GIB, 20 * KIB_PER_GIB, false);
        assertEquals(host, host.within(Optional.empty()));
        assertEquals(host, host.within(Optional.of(new CgroupMemory(32 * KIB_PER_GIB, 30 * KIB_PER_GIB))));
        SystemMemory limited = host.within(Optional.of(new CgroupMemory(8 * KIB_PER_GIB, KIB_PER_GIB / 2)));
        assertEquals(new SystemMemory(8 * KIB_PER_GIB, KIB_PER_GIB / 2, true), limited);

        // The host has 20 of 24 GiB free, but the container is within half a GiB of its 8 GiB limit.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new MemoryWatch(new PrintStream(bytes, true, StandardCharsets.UTF_8), "advice", () -> Optional.of(limited))
                .check();
        String warning = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("only 0.5 of 8.0 GiB (this control group's limit) is still available"), warning);
        bytes.reset();
        new MemoryWatch(new PrintStream(bytes, true, StandardCharsets.UTF_8), "advice", () -> Optional.of(host))
                .check();
        assertFalse(bytes.toString(StandardCharsets.UTF_8).contains("warning"));
    }

    private Optional<CgroupMemory> read(String cgroup, String mountinfo) throws IOException {
        Path proc = root.resolve("proc-self");
        Files.createDirectories(proc);
        Files.writeString(proc.resolve("cgroup"), cgroup);
        Files.writeString(proc.resolve("mountinfo"), mountinfo + "\n");
        return CgroupMemory.read(proc.resolve("cgroup"), proc.resolve("mountinfo"), root);
    }

    private Path group(String dir, String limitFile, long limit, String usageFile, long usage, String inactiveKey,
            long inactive) throws IOException {
        Path group = root.resolve(dir);
        Files.createDirectories(group);
        Files.writeString(group.resolve(limitFile), limit + "\n");
        Files.writeString(group.resolve(usageFile), usage + "\n");
        Files.writeString(group.resolve("memory.stat"), "anon 1\n" + inactiveKey + " " + inactive + "\nactive_file 2\n");
        return group;
    }
}
