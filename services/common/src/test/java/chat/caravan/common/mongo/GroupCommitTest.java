package chat.caravan.common.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import chat.caravan.common.testing.Await;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes that finish while a commit is under way share the next sync, and each is on disk when it answers. */
class GroupCommitTest {

    @TempDir
    Path dir;

    @Test
    void writesThatFinishDuringACommitShareTheNextOne() throws Exception {
        MVStore store = new MVStore.Builder().fileName(dir.resolve("group.mv").toString()).open();
        ExecutorService writers = Executors.newFixedThreadPool(11);
        try {
            MVMap<String, String> map = store.openMap("data");
            GroupCommit commits = new GroupCommit(store);
            CountDownLatch firstCommitHeld = new CountDownLatch(1);
            CountDownLatch releaseFirstCommit = new CountDownLatch(1);
            AtomicInteger commitsSeen = new AtomicInteger();
            commits.onCommit(nanos -> {
                if (commitsSeen.incrementAndGet() == 1) {
                    firstCommitHeld.countDown();
                    awaitQuietly(releaseFirstCommit);
                }
            });

            map.put("first", "1");
            Future<?> first = writers.submit(commits::awaitDurable);
            assertThat(firstCommitHeld.await(30, TimeUnit.SECONDS)).isTrue();

            // ten more writes finish while the first commit is still under way
            List<Future<?>> others = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String key = "w" + i;
                others.add(writers.submit(() -> {
                    map.put(key, "x");
                    commits.awaitDurable();
                }));
            }
            Await.until(() -> commits.writes() == 11);
            assertThat(others).noneMatch(Future::isDone);

            releaseFirstCommit.countDown();
            first.get(30, TimeUnit.SECONDS);
            for (Future<?> other : others) {
                other.get(30, TimeUnit.SECONDS);
            }
            // one sync for the first, one for the ten that queued behind it
            assertThat(commits.syncs()).isEqualTo(2);
            assertThat(store.hasUnsavedChanges()).isFalse();
        } finally {
            writers.shutdownNow();
            store.close();
        }
    }

    @Test
    void aFailedCommitLeavesItsWritersToTheNextLeader() throws Exception {
        MVStore store = new MVStore.Builder().fileName(dir.resolve("failing.mv").toString()).open();
        try {
            MVMap<String, String> map = store.openMap("data");
            GroupCommit commits = new GroupCommit(store);
            AtomicInteger calls = new AtomicInteger();
            commits.onCommit(nanos -> {
                if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("disk gone");
                }
            });
            map.put("a", "1");
            assertThatThrownBy(commits::awaitDurable)
                    .isInstanceOf(IllegalStateException.class);
            // the failure released the lead: the next writer commits, and the failed one's change with it
            map.put("b", "2");
            commits.awaitDurable();
            assertThat(commits.syncs()).isEqualTo(1);
            assertThat(store.hasUnsavedChanges()).isFalse();
        } finally {
            store.close();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
