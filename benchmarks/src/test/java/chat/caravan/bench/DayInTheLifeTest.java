package chat.caravan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The "day" scenario's population (sizes, memberships, traffic shares) and its measuring helpers. */
class DayInTheLifeTest {

    private static List<Fixtures.BenchUser> users(int count) {
        List<Fixtures.BenchUser> users = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            users.add(new Fixtures.BenchUser("u" + i, "user-" + i, "token-" + i));
        }
        return users;
    }

    private static DayInTheLife.Settings settings(int users, int rooms) {
        System.setProperty("test.day.users", String.valueOf(users));
        System.setProperty("test.day.rooms", String.valueOf(rooms));
        try {
            return DayInTheLife.Settings.fromProperties("test.day.");
        } finally {
            System.clearProperty("test.day.users");
            System.clearProperty("test.day.rooms");
        }
    }

    @Test
    void roomsAreSkewedInSizeAndTrafficAndEveryoneIsInSeveral() {
        DayInTheLife day = new DayInTheLife(null, settings(2000, 200));
        List<DayInTheLife.Room> rooms = day.plan("t", users(2000));

        assertThat(rooms).hasSizeBetween(190, 200);
        Map<String, List<DayInTheLife.Room>> byKind = new HashMap<>();
        rooms.forEach(room -> byKind.computeIfAbsent(room.kind, k -> new ArrayList<>()).add(room));
        assertThat(byKind.get("general")).singleElement().satisfies(room -> assertThat(room.members).hasSize(2000));
        assertThat(byKind.get("big")).hasSize(2).allSatisfy(room -> assertThat(room.members).hasSizeBetween(100, 240));
        assertThat(byKind.get("direct")).isNotEmpty().allSatisfy(room -> {
            assertThat(room.members).hasSize(2);
            assertThat(room.members.get(0)).isNotSameAs(room.members.get(1));
        });
        List<DayInTheLife.Room> teams = new ArrayList<>(byKind.get("team-c"));
        teams.addAll(byKind.get("team-p"));
        assertThat(teams).hasSizeGreaterThan(150).allSatisfy(room -> assertThat(room.members).hasSizeBetween(5, 20));

        // everyone: general and at least one more room
        Map<Object, Integer> memberships = new HashMap<>();
        rooms.forEach(room -> room.members.forEach(m -> memberships.merge(m, 1, Integer::sum)));
        assertThat(memberships).hasSize(2000);
        assertThat(memberships.values()).allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(2));

        // Zipf-like shares by rank: they sum to one, the busiest room far above the median, general not the busiest
        double sum = rooms.stream().mapToDouble(room -> room.weight).sum();
        assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(rooms.get(0).weight).isGreaterThan(50 * rooms.get(rooms.size() / 2).weight);
        assertThat(rooms.indexOf(byKind.get("general").get(0))).isEqualTo(9);
        assertThat(rooms.get(0).kind).isNotEqualTo("general");
    }

    @Test
    void countedEventsAreRecognisedFromTheFrameTextAndMessagesAreLeftToTheParser() {
        DayInTheLife day = new DayInTheLife(null, settings(10, 5));
        DayInTheLife.Member member = day.new Member(new Fixtures.BenchUser("u1", "user-1", "t"), false, false);
        String prefix = "{\"msg\":\"changed\",\"collection\":\"";
        assertThat(member.counted(prefix + "stream-notify-user\",\"id\":\"id\",\"fields\":{\"eventName\":\"u1/notification\"}}"))
                .isTrue();
        assertThat(member.counted(prefix + "stream-notify-room\",\"id\":\"id\",\"fields\":{}}")).isTrue();
        assertThat(member.counted(prefix + "stream-user-presence\",\"id\":\"u2\",\"fields\":{}}")).isTrue();
        assertThat(member.counted(prefix + "stream-room-messages\",\"id\":\"id\",\"fields\":{}}")).isFalse();
        assertThat(member.counted("{\"msg\":\"ping\"}")).isFalse();
    }

    @Test
    void aStepIsKeptUpWithWhenP99IsWithinASecondAndNearlyEverythingArrived() {
        assertThat(DayInTheLife.keptUp(step(480, 1.0))).isTrue();
        assertThat(DayInTheLife.keptUp(step(1000, 0.95))).isTrue();
        assertThat(DayInTheLife.keptUp(step(1200, 1.0))).isFalse();
        assertThat(DayInTheLife.keptUp(step(300, 0.63))).isFalse();
        // nothing delivered at all
        assertThat(DayInTheLife.keptUp(step(Double.NaN, 0.0))).isFalse();
    }

    private static Result step(double p99, double delivered) {
        return Result.of("day", "all-in-one", "5 msg/s, 10 users").put("delivery_p99_ms", p99)
                .put("delivered_ratio", delivered);
    }

    @Test
    void messageSequenceIsReadFromTheText() {
        assertThat(DayInTheLife.sequenceOf("day-42 @user-1 have a look")).isEqualTo(42);
        assertThat(DayInTheLife.sequenceOf("day-7")).isEqualTo(7);
        assertThat(DayInTheLife.sequenceOf("bench-7")).isEqualTo(-1);
        assertThat(DayInTheLife.sequenceOf("day-x")).isEqualTo(-1);
    }

    @Test
    void cpuTimeOfTheWatchedProcessesIsTheirsAndNotTheGenerators() throws Exception {
        Process busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try {
            ProcessCpu cpu = new ProcessCpu(Map.of("busy", busy.pid()));
            ProcessCpu.Snapshot before = cpu.snapshot();
            Thread.sleep(1000);
            ProcessCpu.Usage usage = ProcessCpu.between(before, cpu.snapshot());
            // a busy loop, however crowded the machine: some share of a core
            assertThat(usage.serverTotalPct()).isGreaterThan(0);
            assertThat(usage.serverPct()).containsOnlyKeys("busy");
            assertThat(usage.rssMiB()).isPositive();
            assertThat(usage.generatorPct()).isLessThan(usage.serverTotalPct());
            assertThat(cpu.millis()).isPositive();
        } finally {
            busy.destroyForcibly();
        }
    }

    @Test
    void cpuTimeOfThisProcessGrowsWithWork() {
        ProcessCpu cpu = new ProcessCpu(Map.of());
        ProcessCpu.Snapshot before = cpu.snapshot();
        // until the process has used 100 ms of CPU (it may wait for a core on a crowded machine), at most 20 s
        long end = System.nanoTime() + 20_000_000_000L;
        long start = ProcessCpu.ticks(ProcessHandle.current().pid());
        double x = 0;
        while (System.nanoTime() < end && ProcessCpu.ticks(ProcessHandle.current().pid()) - start < 10) {
            for (int i = 0; i < 100_000; i++) {
                x += Math.sqrt(x + 1);
            }
        }
        ProcessCpu.Usage usage = ProcessCpu.between(before, cpu.snapshot());
        assertThat(x).isPositive();
        assertThat(usage.generatorPct()).isGreaterThan(0);
        assertThat(usage.machinePct()).isBetween(0.0, 100.0);
        assertThat(usage.serverTotalPct()).isZero();
    }
}
