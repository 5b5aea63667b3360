package dev.lethe.ingest.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * A subscription connection that a test scripts instead of a Redis server: it answers each request as the test says
 * (or never), and delivers the pushes, errors and end the test makes happen. It answers SUBSCRIBE with its
 * confirmation, as a server does, unless told otherwise.
 */
final class ScriptedConnection implements RedisConnection {

    final List<Command> sent = new CopyOnWriteArrayList<>();
    private final io.vertx.core.Vertx vertx;
    private final String channel;
    volatile Function<Request, Future<Response>> answers = request -> Future.succeededFuture(simple("OK"));
    volatile boolean confirmsSubscription = true;
    volatile boolean closed;
    private volatile Handler<Response> handler = push -> { };
    private volatile Handler<Throwable> exceptionHandler = error -> { };
    private volatile Handler<Void> endHandler = end -> { };

    /** @param channel the channel whose subscription it confirms */
    ScriptedConnection(io.vertx.core.Vertx vertx, String channel) {
        this.vertx = vertx;
        this.channel = channel;
    }

    /** A request that is never answered, as on a link that drops packets. */
    static Future<Response> never() {
        return Promise.<Response>promise().future();
    }

    static Response simple(String text) {
        return new Reply(ResponseType.SIMPLE, text, List.of());
    }

    static Response bulk(String text) {
        return new Reply(ResponseType.BULK, text, List.of());
    }

    /** A push or multi-bulk reply of bulk strings: {@code message <channel> <payload>}, {@code slave ...}. */
    static Response multi(String... parts) {
        return new Reply(ResponseType.PUSH, String.join(" ", parts), List.of(parts).stream().map(ScriptedConnection::bulk)
                .toList());
    }

    void push(Response push) {
        handler.handle(push);
    }

    void fail(Throwable error) {
        exceptionHandler.handle(error);
    }

    void end() {
        endHandler.handle(null);
    }

    @Override
    public Future<Response> send(Request request) {
        sent.add(request.command());
        if (request.command() == Command.SUBSCRIBE && confirmsSubscription) {
            // The confirmation arrives as a push, after the command went out.
            vertx.runOnContext(v -> push(multi("subscribe", channel, "1")));
            return never();
        }
        return answers.apply(request);
    }

    long count(Command command) {
        return sent.stream().filter(command::equals).count();
    }

    @Override
    public RedisConnection handler(Handler<Response> handler) {
        this.handler = handler;
        return this;
    }

    @Override
    public RedisConnection exceptionHandler(Handler<Throwable> handler) {
        this.exceptionHandler = handler;
        return this;
    }

    @Override
    public RedisConnection endHandler(Handler<Void> handler) {
        this.endHandler = handler;
        return this;
    }

    @Override
    public RedisConnection pause() {
        return this;
    }

    @Override
    public RedisConnection resume() {
        return this;
    }

    @Override
    public RedisConnection fetch(long amount) {
        return this;
    }

    @Override
    public Future<List<Response>> batch(List<Request> commands) {
        return Future.failedFuture("not scripted");
    }

    @Override
    public Future<Void> close() {
        closed = true;
        return Future.succeededFuture();
    }

    @Override
    public boolean pendingQueueFull() {
        return false;
    }

    /** A reply: its type, its text, and its elements when it is an array. */
    private record Reply(ResponseType type, String text, List<Response> elements) implements Response {

        @Override
        public Response get(int index) {
            return elements.get(index);
        }

        @Override
        public int size() {
            return elements.size();
        }

        @Override
        public Buffer toBuffer() {
            return Buffer.buffer(text);
        }

        @Override
        public byte[] toBytes() {
            return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
