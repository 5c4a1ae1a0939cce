package org.bonexray.data;

/** What a run does with an image that cannot be decoded. */
public enum BadImagePolicy {
    /** Stop with an error naming the file and the reason (the default: no silent data loss). */
    FAIL,
    /** Leave the image out of its batch, record its path and reason, and go on. */
    SKIP
}
