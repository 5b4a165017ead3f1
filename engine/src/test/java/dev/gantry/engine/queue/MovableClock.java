package dev.gantry.engine.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the test moves by hand, so that minute boundaries come without waiting for them. */
final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    MovableClock(Instant start, ZoneId zone) {
        this.now = new AtomicReference<>(start);
        this.zone = zone;
    }

    void set(Instant t) {
        now.set(t);
    }

    void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId z) {
        return new MovableClock(now.get(), z);
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
