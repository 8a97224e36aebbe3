package io.streamgru.model.online;

/**
 * Where a reading falls in its series' time: what a driver does with it is the documented time
 * policy (README, "Time"): {@link #NEXT} is learned from; {@link #DUPLICATE} and {@link #LATE} are
 * not, since either would enter the model as if it were the next regular step.
 */
public enum ReadingOrder {
    /** Newer than every reading of the series so far (or its first). */
    NEXT,
    /** At the same event time as the series' newest reading: a second copy. */
    DUPLICATE,
    /** Older than the series' newest reading: it arrived out of order. */
    LATE
}
