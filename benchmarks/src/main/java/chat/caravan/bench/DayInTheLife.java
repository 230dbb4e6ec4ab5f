package chat.caravan.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Scenario "day": a realistic day on one server, stepped up. U users (all connected and logged in over DDP, each
 * subscribed as the official client is: its open room's messages and typing, its notification, subscription and room
 * changes, the presence of up to ten people it sees) in R rooms of skewed sizes (one channel with everyone, a few big
 * channels, many team rooms of 5 to 20, some direct conversations) with skewed traffic (the room of traffic rank k gets
 * a share of the messages proportional to 1/k^s). Per step, messages at a Poisson rate (half over REST
 * {@code chat.postMessage}, half over DDP {@code sendMessage}, each announced by a typing notification a second
 * before; one channel message in ten mentions someone), read marks by the recipients who look at the room (DDP
 * {@code readMessages} or REST {@code subscriptions.read}, at most one per 2 s each), and at a rate per user
 * whatever the message rate: presence churn (sockets dropped, back 2-5 s later), away/online changes, and room
 * switches (unsubscribe, {@code loadHistory} of 50, subscribe to the new room). Figures per step, measured after a
 * warm-up: delivered latency (post to arrival at every session that has the room open), post latency per API, read,
 * history, status and reconnect latency, the DDP ping round trip of 20 sessions a second (how long a frame waits in
 * the server), errors and calls still unanswered, sessions the server closed, server CPU and RSS per process, the
 * generator's own CPU, the machine's; then the knee (the first step with p99 over a second or fewer than 95% of
 * deliveries made; the run stops one step past it). A step at
 * rate 0 (the first by default) measures what the connected users cost without messages: churn, status, switches.
 */
public final class DayInTheLife {

    private static final String MESSAGES = "stream-room-messages";
    private static final String NOTIFY_USER = "stream-notify-user";
    private static final String NOTIFY_ROOM = "stream-notify-room";
    private static final String PRESENCE = "stream-user-presence";
    private static final String CHANGED = "{\"msg\":\"changed\",\"collection\":\"";

    private final BenchContext ctx;
    private final Settings settings;
    private final Random random = new Random(42);
    private final List<Fixtures.BenchUser> benchUsers = new ArrayList<>();
    private final List<Member> members = new ArrayList<>();
    private final List<Room> rooms = new ArrayList<>();
    /** Rooms by traffic rank, and the cumulative share of messages up to each. */
    private double[] cumulative;
    private final ScheduledExecutorService scheduler = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "day-scheduler");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<Long, Posted> posted = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    /** The step whose figures are being taken (events counted): a step, or the warm-up before one. */
    private volatile Step measuring;
    private volatile boolean running = true;

    /** What to run: sizes, rates and ratios (system properties day.*). */
    record Settings(int users, int rooms, int[] rates, int stepSeconds, int warmUpSeconds, double zipf, double ddpShare,
            double mentionShare, long typingMillis, double focusedShare, double churnPerMinute, double statusPerMinute,
            double switchPerMinute, int stepsPastKnee) {

        static Settings fromProperties(String prefix) {
            return new Settings(Integer.getInteger(prefix + "users", 5000), Integer.getInteger(prefix + "rooms", 500),
                    java.util.Arrays.stream(System.getProperty(prefix + "rates", "0,5,10,20,40,80,160").split(","))
                            .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray(),
                    Integer.getInteger(prefix + "step.seconds", 25), Integer.getInteger(prefix + "warmup.seconds", 5),
                    dbl(prefix + "zipf", 1.0), dbl(prefix + "ddp.share", 0.5), dbl(prefix + "mention.share", 0.1),
                    Long.getLong(prefix + "typing.ms", 1000), dbl(prefix + "focused.share", 0.3),
                    dbl(prefix + "churn.per.minute", 3), dbl(prefix + "status.per.minute", 5),
                    dbl(prefix + "switch.per.minute", 5), Integer.getInteger(prefix + "steps.past.knee", 1));
        }

        private static double dbl(String property, double fallback) {
            String value = System.getProperty(property);
            return value == null ? fallback : Double.parseDouble(value);
        }
    }

    DayInTheLife(BenchContext ctx, Settings settings) {
        this.ctx = ctx;
        this.settings = settings;
    }

    public static List<Result> run(BenchContext ctx, Settings settings) throws Exception {
        DayInTheLife day = new DayInTheLife(ctx, settings);
        try {
            return day.run();
        } finally {
            day.running = false;
            day.scheduler.shutdownNow();
            day.members.forEach(member -> {
                DdpSession session = member.session;
                if (session != null) {
                    member.online = false;
                    session.close();
                }
            });
        }
    }

    // ---------------------------------------------------------------------------------------------- the population

    /** A user, the rooms it is in, and its one DDP session (replaced when churned). */
    final class Member {
        final Fixtures.BenchUser user;
        final List<Room> rooms = new ArrayList<>();
        /** Looks at the screen: marks its open room read as messages arrive. */
        final boolean focused;
        /** A mobile client: marks read over REST rather than DDP. */
        final boolean mobile;
        final AtomicBoolean readPending = new AtomicBoolean();
        volatile DdpSession session;
        volatile boolean online;
        volatile boolean away;
        volatile Room open;
        volatile String roomSub;
        volatile String typingSub;

        Member(Fixtures.BenchUser user, boolean focused, boolean mobile) {
            this.user = user;
            this.focused = focused;
            this.mobile = mobile;
        }

        /**
         * Counts the stream events only counted (notifications, subscription and room changes, typing, presence) from
         * the frame's text, without parsing it: the generator shares the cores with the server. The server writes
         * stream frames as {"msg":"changed","collection":"...", ...}.
         */
        boolean counted(String frame) {
            if (!frame.startsWith(CHANGED)) {
                return false;
            }
            Step step = measuring;
            if (frame.startsWith(NOTIFY_USER, CHANGED.length())) {
                if (step != null) {
                    (frame.contains("/notification\"") ? step.notifications : step.userEvents).incrementAndGet();
                }
                return true;
            }
            if (frame.startsWith(NOTIFY_ROOM, CHANGED.length())) {
                if (step != null) {
                    step.typingReceived.incrementAndGet();
                }
                return true;
            }
            if (frame.startsWith(PRESENCE, CHANGED.length())) {
                if (step != null) {
                    step.presenceReceived.incrementAndGet();
                }
                return true;
            }
            return false;
        }

        void onEvent(JsonNode event) {
            String collection = event.path("collection").asText();
            Step step = measuring;
            switch (collection) {
                case MESSAGES -> {
                    JsonNode message = event.path("fields").path("args").path(0);
                    long seq = sequenceOf(message.path("msg").asText(""));
                    Posted post = seq < 0 ? null : posted.get(seq);
                    if (post != null) {
                        post.step.delivery.add((System.nanoTime() - post.sentNanos) / 1e6);
                        post.step.delivered.incrementAndGet();
                    }
                    Room room = open;
                    if (focused && room != null && room.rid.equals(message.path("rid").asText())) {
                        markRead(this, room);
                    }
                }
                case NOTIFY_USER -> {
                    if (step != null) {
                        String name = event.path("fields").path("eventName").asText();
                        (name.endsWith("/notification") ? step.notifications : step.userEvents).incrementAndGet();
                    }
                }
                case NOTIFY_ROOM -> {
                    if (step != null) {
                        step.typingReceived.incrementAndGet();
                    }
                }
                case PRESENCE -> {
                    if (step != null) {
                        step.presenceReceived.incrementAndGet();
                    }
                }
                default -> {
                }
            }
        }
    }

    /** A room, its traffic weight, and the members whose open room it is (subscribed, counted as recipients). */
    static final class Room {
        final String rid;
        final String kind;
        final List<Member> members = new ArrayList<>();
        final Set<Member> viewers = ConcurrentHashMap.newKeySet();
        double weight;

        Room(String rid, String kind) {
            this.rid = rid;
            this.kind = kind;
        }
    }

    /**
     * Users and rooms: one channel with everyone ("general"), 1% big channels of 5-12% of the users, 15% direct
     * conversations, the rest team rooms of 5-20 (half private), filled from a shuffled round of users so everyone
     * is in at least one. Traffic ranks: the team rooms and conversations shuffled, with the big channels at ranks
     * 4, 15, 25, ... and "general" at rank 10 (a busy company channel, not the busiest room).
     */
    private void populate() {
        String prefix = "day" + ctx.mode().charAt(0) + (System.nanoTime() % 100000);
        List<Room> ranked = plan(prefix, ctx.fixtures().users(prefix, settings.users()));
        // written to the store, each membership as a subscription
        for (Room room : ranked) {
            List<Fixtures.BenchUser> users = room.members.stream().map(m -> m.user).toList();
            String rid = switch (room.kind) {
                case "direct" -> ctx.fixtures().direct(users.get(0), users.get(1));
                case "team-p" -> ctx.fixtures().room(room.rid, users, "p");
                default -> ctx.fixtures().room(room.rid, users, "c");
            };
            Room saved = new Room(rid, room.kind);
            saved.members.addAll(room.members);
            saved.weight = room.weight;
            rooms.add(saved);
        }
        for (Room room : rooms) {
            room.members.forEach(member -> member.rooms.add(room));
        }
    }

    /** The members and rooms (by traffic rank, with their shares and the cumulative shares) for these users. */
    List<Room> plan(String prefix, List<Fixtures.BenchUser> users) {
        benchUsers.addAll(users);
        for (int i = 0; i < benchUsers.size(); i++) {
            members.add(new Member(benchUsers.get(i), random.nextDouble() < settings.focusedShare(), random.nextBoolean()));
        }
        int total = Math.max(3, settings.rooms());
        int big = Math.max(1, total / 100);
        int direct = total * 15 / 100;
        int team = Math.max(1, total - 1 - big - direct);
        Room general = new Room(prefix + "-general", "general");
        general.members.addAll(members);
        List<Room> bigRooms = new ArrayList<>();
        for (int i = 0; i < big; i++) {
            Room room = new Room(prefix + "-big-" + i, "big");
            int size = Math.max(2, (int) (members.size() * (0.05 + 0.07 * random.nextDouble())));
            room.members.addAll(sample(members, size));
            bigRooms.add(room);
        }
        List<Room> ordinary = new ArrayList<>();
        List<Member> round = new ArrayList<>(members);
        Collections.shuffle(round, random);
        int cursor = 0;
        for (int i = 0; i < team; i++) {
            Room room = new Room(prefix + "-team-" + i, random.nextBoolean() ? "team-c" : "team-p");
            int size = Math.min(members.size(), 5 + random.nextInt(16));
            Set<Member> chosen = new java.util.LinkedHashSet<>();
            while (chosen.size() < size) {
                if (cursor == round.size()) {
                    Collections.shuffle(round, random);
                    cursor = 0;
                }
                chosen.add(round.get(cursor++));
            }
            room.members.addAll(chosen);
            ordinary.add(room);
        }
        Set<String> pairs = new java.util.HashSet<>();
        for (int i = 0; i < direct && members.size() > 1; i++) {
            Member a = members.get(random.nextInt(members.size()));
            Member b = members.get(random.nextInt(members.size()));
            if (a == b || !pairs.add(a.user.id().compareTo(b.user.id()) < 0 ? a.user.id() + b.user.id() : b.user.id() + a.user.id())) {
                continue;
            }
            Room room = new Room(null, "direct");
            room.members.add(a);
            room.members.add(b);
            ordinary.add(room);
        }
        Collections.shuffle(ordinary, random);
        List<Room> ranked = new ArrayList<>(ordinary);
        // placed by ascending target index, so each lands at its rank
        java.util.TreeMap<Integer, Room> placed = new java.util.TreeMap<>();
        placed.put(9, general);
        int[] bigRanks = {3, 14, 24, 39, 59, 89, 129, 179, 239, 299};
        for (int i = 0; i < bigRooms.size(); i++) {
            placed.put(i < bigRanks.length ? bigRanks[i] : Integer.MAX_VALUE - bigRooms.size() + i, bigRooms.get(i));
        }
        placed.forEach((rank, room) -> ranked.add(Math.min(rank, ranked.size()), room));
        cumulative = new double[ranked.size()];
        double sum = 0;
        for (int i = 0; i < ranked.size(); i++) {
            Room room = ranked.get(i);
            room.weight = 1.0 / Math.pow(i + 1, settings.zipf());
            sum += room.weight;
            cumulative[i] = sum;
        }
        for (int i = 0; i < ranked.size(); i++) {
            cumulative[i] /= sum;
            ranked.get(i).weight /= sum;
        }
        return ranked;
    }

    private List<Member> sample(List<Member> from, int size) {
        List<Member> copy = new ArrayList<>(from);
        Collections.shuffle(copy, random);
        return new ArrayList<>(copy.subList(0, Math.min(size, copy.size())));
    }

    /** A room by traffic share. */
    private Room pickRoom() {
        double x = ThreadLocalRandom.current().nextDouble();
        int index = java.util.Arrays.binarySearch(cumulative, x);
        return rooms.get(Math.min(rooms.size() - 1, index >= 0 ? index : -index - 1));
    }

    /**
     * One of the member's rooms, each as likely (not by traffic: everyone is in "general", which would otherwise be
     * nearly everyone's open room), other than {@code except} when there is another.
     */
    private static Room pickOwnRoom(Member member, Room except) {
        List<Room> choices = member.rooms.size() > 1 && except != null
                ? member.rooms.stream().filter(room -> room != except).toList() : member.rooms;
        return choices.get(ThreadLocalRandom.current().nextInt(choices.size()));
    }

    // ---------------------------------------------------------------------------------------------- sessions

    /** Connects, logs in with the token and subscribes as the official client does; completes when all is ready. */
    private CompletableFuture<DdpSession> connect(Member member) {
        Room open = pickOwnRoom(member, null);
        member.open = open;
        String uid = member.user.id();
        DdpSession created = new DdpSession(member::onEvent).rawFrames(member::counted);
        return ctx.clients().session(ctx.clientUrl(), member.user.token(), created, session -> {
            member.roomSub = DdpSession.newSubscriptionId();
            member.typingSub = DdpSession.newSubscriptionId();
            List<String> watched = new ArrayList<>();
            for (Room room : member.rooms) {
                if ("direct".equals(room.kind)) {
                    room.members.stream().filter(m -> m != member).forEach(m -> watched.add(m.user.id()));
                }
            }
            for (int i = 0; i < open.members.size() && watched.size() < 10; i++) {
                Member other = open.members.get(ThreadLocalRandom.current().nextInt(open.members.size()));
                if (other != member && !watched.contains(other.user.id())) {
                    watched.add(other.user.id());
                }
            }
            return CompletableFuture.allOf(
                    session.subscribe(NOTIFY_USER, uid + "/notification", false),
                    session.subscribe(NOTIFY_USER, uid + "/subscriptions-changed", false),
                    session.subscribe(NOTIFY_USER, uid + "/rooms-changed", false),
                    session.subscribeAs(member.roomSub, MESSAGES, open.rid, false),
                    session.subscribeAs(member.typingSub, NOTIFY_ROOM, open.rid + "/user-activity", false),
                    session.subscribe(PRESENCE, "", Map.of("added", watched)));
        }).thenApply(session -> {
            member.session = session;
            member.away = false;
            member.online = true;
            open.viewers.add(member);
            session.closed().thenRun(() -> {
                if (member.session == session && member.online && running) {
                    // the server closed it: an error, and the client comes back as a real one would
                    member.online = false;
                    open.viewers.remove(member);
                    member.open.viewers.remove(member);
                    Step step = measuring;
                    if (step != null) {
                        step.dropped.incrementAndGet();
                    }
                    scheduler.schedule(() -> reconnect(member), 2, TimeUnit.SECONDS);
                }
            });
            return session;
        });
    }

    // ---------------------------------------------------------------------------------------------- activities

    /** A message: its sender types for a second, then posts (REST or DDP), then stops typing. */
    private void message(Step step) {
        Room room = pickRoom();
        Member sender = null;
        for (int i = 0; i < 5 && sender == null; i++) {
            Member candidate = room.members.get(ThreadLocalRandom.current().nextInt(room.members.size()));
            sender = candidate.online ? candidate : null;
        }
        if (sender == null) {
            sender = room.members.get(ThreadLocalRandom.current().nextInt(room.members.size()));
        }
        Member from = sender;
        typing(from, room, true, step);
        scheduler.schedule(() -> post(from, room, step), settings.typingMillis(), TimeUnit.MILLISECONDS);
    }

    private void typing(Member member, Room room, boolean typing, Step step) {
        DdpSession session = member.session;
        if (!member.online || session == null) {
            return;
        }
        try {
            session.call(NOTIFY_ROOM, room.rid + "/user-activity", member.user.username(),
                    typing ? List.of("user-typing") : List.of(), Map.of());
            if (step != null) {
                step.typingSent.incrementAndGet();
            }
        } catch (RuntimeException e) {
            // the socket just closed (churn)
        }
    }

    private void post(Member sender, Room room, Step step) {
        long seq = sequence.incrementAndGet();
        String text = "day-" + seq;
        if (!"direct".equals(room.kind) && ThreadLocalRandom.current().nextDouble() < settings.mentionShare()) {
            Member other = room.members.get(ThreadLocalRandom.current().nextInt(room.members.size()));
            text += " @" + other.user.username() + " have a look";
        } else {
            text += " lorem ipsum dolor sit amet";
        }
        Posted post = new Posted(step, System.nanoTime());
        step.expected.addAndGet(room.viewers.size());
        step.posted.incrementAndGet();
        posted.put(seq, post);
        DdpSession session = sender.session;
        boolean ddp = sender.online && session != null && ThreadLocalRandom.current().nextDouble() < settings.ddpShare();
        CompletableFuture<?> done;
        if (ddp) {
            done = call(session, "sendMessage", Map.of("_id", "day" + Long.toString(seq, 36) + randomSuffix(),
                    "rid", room.rid, "msg", text));
        } else {
            done = ctx.clients().post(ctx.clientUrl(), sender.user, "/api/v1/chat.postMessage",
                    Map.of("roomId", room.rid, "text", text)).thenApply(status -> {
                        if (status != 200) {
                            throw new IllegalStateException("chat.postMessage answered " + status);
                        }
                        return status;
                    });
        }
        timed(done, ddp ? step.postDdp : step.postRest, step, "post " + (ddp ? "sendMessage" : "chat.postMessage"));
        typing(sender, room, false, null);
    }

    /** A recipient looking at the room marks it read, at most once per 2 s (the client's debounce). */
    private void markRead(Member member, Room room) {
        if (!member.readPending.compareAndSet(false, true)) {
            return;
        }
        scheduler.schedule(() -> {
            member.readPending.set(false);
            Step step = measuring;
            DdpSession session = member.session;
            if (!member.online || session == null || member.open != room) {
                return;
            }
            CompletableFuture<?> done = member.mobile
                    ? ctx.clients().post(ctx.clientUrl(), member.user, "/api/v1/subscriptions.read", Map.of("rid", room.rid))
                            .thenApply(status -> {
                                if (status != 200) {
                                    throw new IllegalStateException("subscriptions.read answered " + status);
                                }
                                return status;
                            })
                    : call(session, "readMessages", room.rid);
            if (step != null) {
                timed(done, step.read, step, "read");
            }
        }, 2, TimeUnit.SECONDS);
    }

    /** Drops a member's socket, as a lost network or a closed laptop; it comes back 2-5 s later. */
    private void churn(Member member) {
        DdpSession session = member.session;
        if (!member.online || session == null) {
            return;
        }
        member.online = false;
        member.open.viewers.remove(member);
        session.close();
        long back = 2000 + ThreadLocalRandom.current().nextLong(3000);
        scheduler.schedule(() -> reconnect(member), back, TimeUnit.MILLISECONDS);
    }

    private void reconnect(Member member) {
        if (!running) {
            return;
        }
        long start = System.nanoTime();
        Step at = measuring;
        CompletableFuture.runAsync(() -> connect(member).orTimeout(60, TimeUnit.SECONDS).whenComplete((s, e) -> {
            Step step = measuring;
            if (step != null && step == at) {
                if (e != null) {
                    step.error("reconnect", e);
                } else {
                    step.reconnect.add((System.nanoTime() - start) / 1e6);
                }
            }
        }));
    }

    /** The client's idle detection: away after a while without input, online again on the next keystroke. */
    private void status(Member member, Step step) {
        DdpSession session = member.session;
        if (!member.online || session == null) {
            return;
        }
        member.away = !member.away;
        timed(call(session, member.away ? "UserPresence:away" : "UserPresence:online"), step.status, step, "status");
    }

    /** Opens another of the member's rooms: leaves the old room's streams, loads history, subscribes to the new one. */
    private void switchRoom(Member member, Step step) {
        DdpSession session = member.session;
        Room old = member.open;
        if (!member.online || session == null || member.rooms.size() < 2) {
            return;
        }
        Room next = pickOwnRoom(member, old);
        old.viewers.remove(member);
        try {
            session.unsubscribe(member.roomSub);
            session.unsubscribe(member.typingSub);
        } catch (RuntimeException e) {
            return;
        }
        member.open = next;
        member.roomSub = DdpSession.newSubscriptionId();
        member.typingSub = DdpSession.newSubscriptionId();
        timed(call(session, "loadHistory", next.rid, null, 50, Map.of("$date", System.currentTimeMillis())),
                step.history, step, "loadHistory");
        CompletableFuture<Void> subscribed;
        try {
            subscribed = CompletableFuture.allOf(session.subscribeAs(member.roomSub, MESSAGES, next.rid, false),
                    session.subscribeAs(member.typingSub, NOTIFY_ROOM, next.rid + "/user-activity", false));
        } catch (RuntimeException e) {
            return;
        }
        subscribed.orTimeout(30, TimeUnit.SECONDS).whenComplete((v, e) -> {
                    if (e != null) {
                        step.error("subscribe", e);
                    } else if (member.open == next && member.online && member.session == session) {
                        next.viewers.add(member);
                    }
                });
    }

    /** A DDP method call; a socket that closed meanwhile (churn) fails the call instead of throwing. */
    private static CompletableFuture<JsonNode> call(DdpSession session, String method, Object... params) {
        try {
            return session.call(method, params);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void timed(CompletableFuture<?> call, ConcurrentLinkedQueue<Double> into, Step step, String what) {
        long start = System.nanoTime();
        step.calls.incrementAndGet();
        call.orTimeout(30, TimeUnit.SECONDS).whenComplete((v, e) -> {
            step.answered.incrementAndGet();
            if (e != null) {
                step.error(what, e);
            } else {
                into.add((System.nanoTime() - start) / 1e6);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------- steps

    /** A message the generator posted: the step it counts in and when it was sent. */
    record Posted(Step step, long sentNanos) {
    }

    /** What one step measured. */
    static final class Step {
        final int rate;
        final ConcurrentLinkedQueue<Double> delivery = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Double> postRest = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Double> postDdp = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Double> read = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Double> history = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Double> status = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Double> reconnect = new ConcurrentLinkedQueue<>();
        final AtomicLong offered = new AtomicLong();
        final AtomicLong posted = new AtomicLong();
        final AtomicLong expected = new AtomicLong();
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        /** Calls made (posts, reads, history, status) and those answered or failed so far. */
        final AtomicLong calls = new AtomicLong();
        final AtomicLong answered = new AtomicLong();
        final ConcurrentLinkedQueue<Double> ping = new ConcurrentLinkedQueue<>();
        final AtomicLong dropped = new AtomicLong();
        final AtomicLong typingSent = new AtomicLong();
        final AtomicLong typingReceived = new AtomicLong();
        final AtomicLong notifications = new AtomicLong();
        final AtomicLong userEvents = new AtomicLong();
        final AtomicLong presenceReceived = new AtomicLong();
        final AtomicLong churned = new AtomicLong();
        final Map<String, AtomicInteger> errorKinds = new ConcurrentHashMap<>();

        Step(int rate) {
            this.rate = rate;
        }

        void error(String what, Throwable e) {
            errors.incrementAndGet();
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            String kind = what + ": " + (cause instanceof java.util.concurrent.TimeoutException ? "timeout"
                    : String.valueOf(cause.getMessage()));
            errorKinds.computeIfAbsent(kind.length() > 160 ? kind.substring(0, 160) : kind, k -> new AtomicInteger())
                    .incrementAndGet();
        }
    }

    private List<Result> run() throws Exception {
        List<Result> results = new ArrayList<>();
        long setUpStart = System.nanoTime();
        populate();
        double setUpSeconds = (System.nanoTime() - setUpStart) / 1e9;
        int memberships = rooms.stream().mapToInt(r -> r.members.size()).sum();
        System.out.printf(Locale.ROOT, "day: %d users, %d rooms (%d memberships) written in %.1f s; connecting%n",
                members.size(), rooms.size(), memberships, setUpSeconds);

        // everyone connects and logs in, as at the start of the working day (bounded handshakes in flight)
        ProcessCpu.Snapshot before = ctx.serverCpu().snapshot();
        long connectStart = System.nanoTime();
        ConcurrentLinkedQueue<Double> connectTimes = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<DdpSession>> opening = new ArrayList<>();
        for (Member member : members) {
            long start = System.nanoTime();
            opening.add(connect(member).whenComplete((s, e) -> connectTimes.add((System.nanoTime() - start) / 1e6)));
        }
        int failed = 0;
        for (CompletableFuture<DdpSession> future : opening) {
            try {
                future.get(600, TimeUnit.SECONDS);
            } catch (Exception e) {
                failed++;
            }
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        ProcessCpu.Usage connectCpu = ProcessCpu.between(before, ctx.serverCpu().snapshot());
        Result setUp = Result.of("day", ctx.mode(), members.size() + " users connect")
                .put("users", members.size()).put("rooms", rooms.size()).put("memberships", memberships)
                .put("sessions_failed", failed).put("connect_all_s", connectSeconds)
                .put("session_ready", Stats.of(connectTimes.stream().mapToDouble(Double::doubleValue).toArray()));
        cpu(setUp, connectCpu);
        results.add(setUp);
        System.out.println(setUp);

        // the load that does not follow the message rate: churn, away/online, room switches (per user per minute)
        AtomicBoolean background = new AtomicBoolean(true);
        double[] owed = new double[3];
        scheduler.scheduleAtFixedRate(() -> {
            Step step = measuring;
            if (!background.get() || step == null) {
                return;
            }
            try {
                background(step, owed);
            } catch (RuntimeException e) {
                step.error("background", e);
            }
        }, 1, 1, TimeUnit.SECONDS);

        Step previous = null;
        Step previousWarmUp = null;
        int pastKnee = 0;
        ProcessCpu.Usage previousCpu = null;
        for (int rate : settings.rates()) {
            Step step = new Step(rate);
            Step warmUp = new Step(rate);
            // the warm-up of each step: its messages are not counted; the previous step's last deliveries land
            measuring = warmUp;
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.warmUpSeconds());
            pace(rate, warmEnd, warmUp);
            if (previous != null) {
                Result result = figures(previous, previousCpu);
                results.add(result);
                System.out.println(result);
                forget(previousWarmUp);
                if (previous.rate > 0 && !keptUp(result) && ++pastKnee > settings.stepsPastKnee()) {
                    // past the knee: more load only piles onto a server that is already behind
                    previous = null;
                    break;
                }
            }
            measuring = step;
            ProcessCpu.Snapshot from = ctx.serverCpu().snapshot();
            pace(rate, System.nanoTime() + TimeUnit.SECONDS.toNanos(settings.stepSeconds()), step);
            previousCpu = ProcessCpu.between(from, ctx.serverCpu().snapshot());
            previous = step;
            previousWarmUp = warmUp;
        }
        measuring = new Step(0);
        Thread.sleep(TimeUnit.SECONDS.toMillis(Math.max(5, settings.warmUpSeconds())));
        background.set(false);
        if (previous != null) {
            Result result = figures(previous, previousCpu);
            results.add(result);
            System.out.println(result);
        }
        results.add(knee(results));
        return results;
    }

    /** Churn, away/online changes and room switches owed since the last second (per user per minute). */
    private void background(Step step, double[] owed) {
        // DDP ping round trips of 20 random sessions: how long a frame waits in the server before it is handled
        for (int i = 0; i < 20; i++) {
            Member member = members.get(ThreadLocalRandom.current().nextInt(members.size()));
            DdpSession session = member.session;
            if (member.online && session != null) {
                long start = System.nanoTime();
                CompletableFuture<JsonNode> pong;
                try {
                    pong = session.ping();
                } catch (RuntimeException e) {
                    continue;
                }
                pong.orTimeout(30, TimeUnit.SECONDS)
                        .thenRun(() -> step.ping.add((System.nanoTime() - start) / 1e6));
            }
        }
        double perSecond = members.size() / 60.0 / 100.0;
        owed[0] += perSecond * settings.churnPerMinute();
        owed[1] += perSecond * settings.statusPerMinute();
        owed[2] += perSecond * settings.switchPerMinute();
        for (; owed[0] >= 1; owed[0]--) {
            churn(members.get(ThreadLocalRandom.current().nextInt(members.size())));
            step.churned.incrementAndGet();
        }
        for (; owed[1] >= 1; owed[1]--) {
            status(members.get(ThreadLocalRandom.current().nextInt(members.size())), step);
        }
        for (; owed[2] >= 1; owed[2]--) {
            switchRoom(members.get(ThreadLocalRandom.current().nextInt(members.size())), step);
        }
    }

    private void forget(Step step) {
        posted.values().removeIf(p -> p.step() == step);
    }

    /** Messages at a Poisson rate until {@code end}. */
    private void pace(int rate, long end, Step step) throws InterruptedException {
        long next = System.nanoTime();
        while (rate > 0) {
            next += (long) (-Math.log(1 - ThreadLocalRandom.current().nextDouble()) / rate * 1e9);
            if (next >= end) {
                break;
            }
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            step.offered.incrementAndGet();
            try {
                message(step);
            } catch (RuntimeException e) {
                step.error("message", e);
            }
        }
        long rest = end - System.nanoTime();
        if (rest > 0) {
            TimeUnit.NANOSECONDS.sleep(rest);
        }
    }

    private Result figures(Step step, ProcessCpu.Usage cpu) {
        double seconds = cpu.seconds();
        Stats delivery = Stats.of(values(step.delivery));
        Result result = Result.of("day", ctx.mode(), step.rate + " msg/s, " + members.size() + " users")
                .put("offered_per_s", step.offered.get() / seconds).put("posted_per_s", step.posted.get() / seconds)
                // all the server did in the step (the load that does not follow the rate included), per message
                .put("server_cpu_ms_per_msg", step.posted.get() == 0 ? Double.NaN
                        : cpu.serverTotalPct() / 100 * 1000 * seconds / step.posted.get())
                .put("delivery", delivery).put("delivery_max_ms", delivery.max())
                .put("delivered_ratio", step.expected.get() == 0 ? Double.NaN : step.delivered.get() / (double) step.expected.get())
                .put("delivered_per_s", step.delivered.get() / seconds)
                .put("post_rest", Stats.of(values(step.postRest))).put("post_ddp", Stats.of(values(step.postDdp)))
                .put("read", Stats.of(values(step.read))).put("history", Stats.of(values(step.history)))
                .put("status", Stats.of(values(step.status))).put("reconnect", Stats.of(values(step.reconnect)))
                .put("errors", step.errors.get())
                // calls still unanswered when the step's figures are taken (its warm-up after it included)
                .put("calls_unanswered", step.calls.get() - step.answered.get())
                .put("ddp_ping", Stats.of(values(step.ping))).put("sockets_dropped_by_server", step.dropped.get())
                .put("churned", step.churned.get())
                .put("typing_sent_per_s", step.typingSent.get() / seconds)
                .put("typing_received_per_s", step.typingReceived.get() / seconds)
                .put("notifications_per_s", step.notifications.get() / seconds)
                .put("user_events_per_s", step.userEvents.get() / seconds)
                .put("presence_events_per_s", step.presenceReceived.get() / seconds)
                .put("online", members.stream().filter(m -> m.online).count());
        cpu(result, cpu);
        if (!step.errorKinds.isEmpty()) {
            System.out.println("day " + step.rate + " msg/s errors: " + step.errorKinds);
        }
        // done with this step's messages: their late deliveries are no longer counted anywhere
        forget(step);
        return result;
    }

    private static void cpu(Result result, ProcessCpu.Usage cpu) {
        result.put("server_cpu_pct", cpu.serverTotalPct());
        cpu.serverPct().forEach((name, pct) -> result.put("cpu_" + name.replace('-', '_') + "_pct", pct));
        result.put("server_rss_mib", cpu.rssMiB()).put("generator_cpu_pct", cpu.generatorPct())
                .put("machine_busy_pct", cpu.machinePct())
                .put("machine_cores", Runtime.getRuntime().availableProcessors())
                // what the rest of the machine used meanwhile (other programs), in % of one core
                .put("other_cpu_pct", Math.max(0, cpu.machinePct() * Runtime.getRuntime().availableProcessors()
                        - cpu.serverTotalPct() - cpu.generatorPct()));
    }

    /** The first step that did not keep up (p99 over a second, or under 95% delivered), and the last that did. */
    private Result knee(List<Result> results) {
        Result knee = Result.of("day", ctx.mode(), "knee, " + members.size() + " users");
        double lastKept = Double.NaN;
        double firstFailed = Double.NaN;
        for (Result r : results) {
            if (!r.load().contains("msg/s") || r.load().startsWith("0 ")) {
                // the idle step has no deliveries to judge
                continue;
            }
            double rate = Double.parseDouble(r.load().substring(0, r.load().indexOf(' ')));
            boolean kept = keptUp(r);
            if (!kept && Double.isNaN(firstFailed)) {
                firstFailed = rate;
            }
            if (kept && Double.isNaN(firstFailed)) {
                lastKept = rate;
            }
        }
        return knee.put("last_kept_up_msgs_per_s", Double.isNaN(lastKept) ? 0 : lastKept)
                .put("knee_msgs_per_s", firstFailed);
    }

    /** A step the server kept up with: p99 delivered within a second, 95% of the deliveries made. */
    static boolean keptUp(Result step) {
        return step.figures().getOrDefault("delivery_p99_ms", Double.NaN) <= 1000
                && step.figures().getOrDefault("delivered_ratio", 0.0) >= 0.95;
    }

    private static double[] values(ConcurrentLinkedQueue<Double> queue) {
        return queue.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static long sequenceOf(String text) {
        if (!text.startsWith("day-")) {
            return -1;
        }
        int end = text.indexOf(' ');
        try {
            return Long.parseLong(text.substring(4, end < 0 ? text.length() : end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String randomSuffix() {
        String alphabet = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
