package chat.caravan.common.mongo;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

import org.h2.mvstore.MVStore;

/**
 * Makes the embedded store's writes durable before they are acknowledged, as MongoDB's journal does: a write command
 * answers only once its changes are committed to the MVStore file and synced to disk.
 *
 * <p>Commits are grouped: each finished write takes a ticket; one writer at a time commits and syncs everything
 * applied so far, so writers that finished while a sync was under way find their ticket covered when they get the
 * lock and answer without a sync of their own. Under load one fsync serves many writes.
 */
final class GroupCommit {

    private final MVStore store;
    private final ReentrantLock lock = new ReentrantLock();
    /** Tickets handed out: one per finished write. */
    private final AtomicLong tickets = new AtomicLong();
    /** Every ticket up to this one is on disk; written under the lock. */
    private volatile long durable;
    /** The store's version right after the last sync of ours: the same version and nothing unsaved is all on disk. */
    private volatile long syncedVersion = -1;
    private final LongAdder syncs = new LongAdder();
    /** Told how long each commit and sync took, in nanoseconds (the store's commit latency metric). */
    private volatile LongConsumer commitNanos = nanos -> { };

    GroupCommit(MVStore store) {
        this.store = store;
    }

    /**
     * A barrier ({@code fsync}): returns once every change applied before this call is on disk, at once when nothing
     * has changed since the last sync (the store's background commits write without syncing, so they count as a change).
     */
    void awaitSynced() {
        if (!store.hasUnsavedChanges() && store.getCurrentVersion() == syncedVersion) {
            return;
        }
        awaitDurable();
    }

    /** Returns once every change applied before this call is committed and synced. */
    void awaitDurable() {
        long ticket = tickets.incrementAndGet();
        if (durable >= ticket) {
            return;
        }
        lock.lock();
        try {
            if (durable >= ticket) {
                return;
            }
            // every write that took a ticket up to here has been applied: this commit covers them all
            long covered = tickets.get();
            long started = System.nanoTime();
            store.commit();
            store.sync();
            syncedVersion = store.getCurrentVersion();
            commitNanos.accept(System.nanoTime() - started);
            syncs.increment();
            durable = covered;
        } finally {
            lock.unlock();
        }
    }

    void onCommit(LongConsumer listener) {
        this.commitNanos = listener;
    }

    /** Writes acknowledged so far. */
    long writes() {
        return tickets.get();
    }

    /** Commits that reached the disk (fewer than writes when commits were grouped). */
    long syncs() {
        return syncs.sum();
    }
}
