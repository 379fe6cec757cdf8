package dev.waitonaddress.testing;

import java.time.Duration;

/**
 * When a ping-pong stops: after its rounds or its time budget, whichever comes first. Such a
 * ping-pong proves that no wake-up is lost, not a speed: on a saturated CPU each yield of a spin
 * phase can cost a scheduler time slice. A lost wake-up still hangs a side, which the caller's time
 * limit ({@link Watchdog}, the parent's wait) catches. Used by one thread; the clock starts at
 * construction.
 */
public final class Rounds {
    private final int rounds;
    private final long deadline;
    private int started;

    /**
     * @param rounds the rounds to play at most
     * @param budget the time after which no new round starts
     */
    public Rounds(int rounds, Duration budget) {
        this.rounds = rounds;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    /** @return whether another round may start (and counts it): rounds are left and the budget is not spent */
    public boolean next() {
        if (started < rounds && System.nanoTime() - deadline < 0) {
            started++;
            return true;
        }
        return false;
    }

    /** @return how many rounds {@link #next} let start */
    public int started() {
        return started;
    }
}
