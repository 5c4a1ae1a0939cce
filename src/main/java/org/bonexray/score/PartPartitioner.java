package org.bonexray.score;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;

/**
 * Puts each pending part in a Spark partition of its own, so that one task scores exactly one part and writes
 * exactly its file (Spark's hash partitioning would put several parts in one task and leave others empty).
 */
final class PartPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final Map<Integer, Integer> index = new HashMap<>();

    PartPartitioner(List<Integer> pendingParts) {
        for (int part : pendingParts) {
            index.put(part, index.size());
        }
    }

    @Override
    public int numPartitions() {
        return index.size();
    }

    @Override
    public int getPartition(Object part) {
        Integer i = index.get((Integer) part);
        if (i == null) {
            throw new IllegalArgumentException("part " + part + " is not pending");
        }
        return i;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartPartitioner p && p.index.equals(index);
    }

    @Override
    public int hashCode() {
        return index.hashCode();
    }
}
