// The epoll room reader declared in CBenchReader.h. Each thread owns a slice of the
// connections and its own epoll instance; the counters every thread updates are atomics, read
// by the Swift side while the threads run. Linux only (epoll): elsewhere it cannot start.
#define _GNU_SOURCE
#include "CBenchReader.h"

#ifdef __linux__

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { BUFFER = 8192, PENDING_PER_THREAD = 100, EVENTS = 256 };

enum state { CONNECTING, AWAITING_UPGRADE, AWAITING_OPEN, AWAITING_CONNECT, SUBSCRIBED, CLOSED };

struct connection {
    int fd;
    enum state state;
    int length;            // bytes in `buffer`
    uint8_t *received;     // copies of each booking's event
    uint8_t buffer[BUFFER];
};

struct thread {
    bench_reader *reader;
    pthread_t id;
    int epoll;
    int first, end;        // its connections
    int next;              // next of them to open
    int pending;           // opened, not yet subscribed or closed
};

struct bench_reader {
    struct sockaddr_in address;
    char request[512];
    int request_length;
    char **bookings;
    int *booking_lengths;
    int booking_count;
    struct connection *connections;
    uint8_t *received;     // every connection's `received`, in one block
    int connection_count;
    struct thread *threads;
    int thread_count;      // threads started
    atomic_bool stopping;
    atomic_int_fast64_t subscribed, failed, duplicates, unexpected, frames;
    atomic_int_fast64_t *delivered, *last_delivery;
};

static int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

// A masked client frame (the mask is all zeros, which leaves the payload as it is).
static int send_frame(struct connection *c, int opcode, const char *payload, size_t length) {
    uint8_t frame[16 + 1024];
    size_t header = 0;
    if (length > 1024) return -1;
    frame[header++] = (uint8_t)(0x80 | opcode);
    if (length < 126) {
        frame[header++] = (uint8_t)(0x80 | length);
    } else {
        frame[header++] = 0x80 | 126;
        frame[header++] = (uint8_t)(length >> 8);
        frame[header++] = (uint8_t)length;
    }
    memset(frame + header, 0, 4);
    header += 4;
    memcpy(frame + header, payload, length);
    ssize_t written = send(c->fd, frame, header + length, MSG_NOSIGNAL);
    return written == (ssize_t)(header + length) ? 0 : -1;
}

static int send_text(struct connection *c, const char *text) {
    return send_frame(c, 1, text, strlen(text));
}

static void close_connection(struct thread *t, struct connection *c) {
    if (c->state == CLOSED) return;
    if (c->state != SUBSCRIBED) t->pending--;
    c->state = CLOSED;
    epoll_ctl(t->epoll, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
    atomic_fetch_add(&t->reader->failed, 1);
}

static int subscribe(struct thread *t, struct connection *c) {
    bench_reader *r = t->reader;
    char packet[600];
    for (int i = 0; i < r->booking_count; i++) {
        snprintf(packet, sizeof packet, "42[\"subscribe_booking\",{\"bookingId\":\"%s\"}]", r->bookings[i]);
        if (send_text(c, packet) != 0) return -1;
    }
    c->state = SUBSCRIBED;
    t->pending--;
    atomic_fetch_add(&r->subscribed, 1);
    return 0;
}

static void count_delivery(bench_reader *r, struct connection *c, const char *payload, size_t length, int64_t now) {
    static const char key[] = "\"bookingId\":\"";
    const char *found = memmem(payload, length, key, sizeof key - 1);
    if (found) {
        const char *id = found + sizeof key - 1;
        const char *end = memchr(id, '"', length - (size_t)(id - payload));
        for (int i = 0; end && i < r->booking_count; i++) {
            if (r->booking_lengths[i] != end - id || memcmp(r->bookings[i], id, (size_t)(end - id)) != 0) continue;
            if (c->received[i] < 255) c->received[i]++;
            if (c->received[i] > 1) {
                atomic_fetch_add(&r->duplicates, 1);
                return;
            }
            atomic_fetch_add(&r->delivered[i], 1);
            int_fast64_t last = atomic_load(&r->last_delivery[i]);
            while (last < now && !atomic_compare_exchange_weak(&r->last_delivery[i], &last, now)) {}
            return;
        }
    }
    atomic_fetch_add(&r->unexpected, 1);
}

// One Engine.IO / Socket.IO packet in a text frame; -1 ends the connection.
static int receive_text(struct thread *t, struct connection *c, const char *p, size_t n, int64_t now) {
    static const char event[] = "42[\"transaction_success\"";
    atomic_fetch_add(&t->reader->frames, 1);
    if (n >= sizeof event - 1 && memcmp(p, event, sizeof event - 1) == 0) {
        count_delivery(t->reader, c, p, n, now);
        return 0;
    }
    if (n == 0) return 0;
    switch (p[0]) {
    case '0': // Engine.IO open: connect to the main namespace
        if (c->state != AWAITING_OPEN) return 0;
        c->state = AWAITING_CONNECT;
        return send_text(c, "40");
    case '2': // heartbeat
        return send_text(c, "3");
    case '1': // Engine.IO close
        return -1;
    case '4':
        if (n >= 2 && p[1] == '0' && c->state == AWAITING_CONNECT) return subscribe(t, c);
        if (n >= 2 && p[1] == '4') return -1; // connect refused
        return 0;
    default:
        return 0;
    }
}

// Parses the complete server frames in the buffer (servers do not mask); -1 ends the connection.
static int receive_frames(struct thread *t, struct connection *c, int64_t now) {
    int offset = 0;
    while (c->length - offset >= 2) {
        const uint8_t *f = c->buffer + offset;
        int opcode = f[0] & 0x0f;
        int masked = f[1] & 0x80;
        uint64_t length = f[1] & 0x7f;
        int header = 2;
        if (length == 126) {
            if (c->length - offset < 4) break;
            length = ((uint64_t)f[2] << 8) | f[3];
            header = 4;
        } else if (length == 127) {
            if (c->length - offset < 10) break;
            length = 0;
            for (int i = 0; i < 8; i++) length = (length << 8) | f[2 + i];
            header = 10;
        }
        if (masked) header += 4;
        if (length > BUFFER - 16) return -1;
        if ((uint64_t)(c->length - offset - header) < length) break;
        const char *payload = (const char *)f + header;
        int result = 0;
        if (opcode == 1) result = receive_text(t, c, payload, (size_t)length, now);
        else if (opcode == 9) result = send_frame(c, 10, payload, (size_t)length);
        else if (opcode == 8) result = -1;
        if (result != 0) return -1;
        offset += header + (int)length;
    }
    memmove(c->buffer, c->buffer + offset, (size_t)(c->length - offset));
    c->length -= offset;
    return 0;
}

static int receive(struct thread *t, struct connection *c) {
    ssize_t n = read(c->fd, c->buffer + c->length, (size_t)(BUFFER - c->length));
    if (n <= 0) return (n < 0 && errno == EAGAIN) ? 0 : -1;
    c->length += (int)n;
    int64_t now = now_ns();
    if (c->state == AWAITING_UPGRADE) {
        uint8_t *end = memmem(c->buffer, (size_t)c->length, "\r\n\r\n", 4);
        if (!end) return c->length == BUFFER ? -1 : 0;
        if (c->length < 12 || memcmp(c->buffer, "HTTP/1.1 101", 12) != 0) return -1;
        int head = (int)(end + 4 - c->buffer);
        memmove(c->buffer, c->buffer + head, (size_t)(c->length - head));
        c->length -= head;
        c->state = AWAITING_OPEN;
    }
    return receive_frames(t, c, now);
}

static void open_next(struct thread *t) {
    bench_reader *r = t->reader;
    while (t->pending < PENDING_PER_THREAD && t->next < t->end) {
        struct connection *c = &r->connections[t->next++];
        t->pending++;
        c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        int one = 1;
        if (c->fd < 0) {
            t->pending--;
            atomic_fetch_add(&r->failed, 1);
            continue;
        }
        setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        c->state = CONNECTING;
        struct epoll_event event = { .events = EPOLLIN | EPOLLOUT, .data.ptr = c };
        if ((connect(c->fd, (struct sockaddr *)&r->address, sizeof r->address) != 0 && errno != EINPROGRESS)
            || epoll_ctl(t->epoll, EPOLL_CTL_ADD, c->fd, &event) != 0) {
            close_connection(t, c);
        }
    }
}

static void *run(void *argument) {
    struct thread *t = argument;
    struct epoll_event events[EVENTS];
    while (!atomic_load(&t->reader->stopping)) {
        open_next(t);
        int n = epoll_wait(t->epoll, events, EVENTS, 50);
        for (int i = 0; i < n; i++) {
            struct connection *c = events[i].data.ptr;
            if (c->state == CLOSED) continue;
            if (c->state == CONNECTING) {
                int error = 0;
                socklen_t size = sizeof error;
                struct epoll_event readable = { .events = EPOLLIN, .data.ptr = c };
                if (!(events[i].events & EPOLLOUT)) { if (events[i].events & (EPOLLERR | EPOLLHUP)) close_connection(t, c); continue; }
                getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &size);
                ssize_t sent = error ? -1 : send(c->fd, t->reader->request, (size_t)t->reader->request_length, MSG_NOSIGNAL);
                if (sent != t->reader->request_length || epoll_ctl(t->epoll, EPOLL_CTL_MOD, c->fd, &readable) != 0) {
                    close_connection(t, c);
                    continue;
                }
                c->state = AWAITING_UPGRADE;
                continue;
            }
            if (receive(t, c) != 0) close_connection(t, c);
        }
    }
    return NULL;
}

bench_reader *bench_reader_start(const char *ipv4, int port, int connections,
                                 const char *const *bookings, int booking_count, int threads) {
    if (connections < 0 || booking_count < 0 || threads < 1) return NULL;
    bench_reader *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    r->address.sin_family = AF_INET;
    r->address.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, ipv4, &r->address.sin_addr) != 1) { free(r); return NULL; }
    r->request_length = snprintf(r->request, sizeof r->request,
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: %s:%d\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", ipv4, port);
    r->booking_count = booking_count;
    r->bookings = calloc((size_t)booking_count + 1, sizeof *r->bookings);
    r->booking_lengths = calloc((size_t)booking_count + 1, sizeof *r->booking_lengths);
    r->delivered = calloc((size_t)booking_count + 1, sizeof *r->delivered);
    r->last_delivery = calloc((size_t)booking_count + 1, sizeof *r->last_delivery);
    r->connection_count = connections;
    r->connections = calloc((size_t)connections + 1, sizeof *r->connections);
    r->threads = calloc((size_t)threads, sizeof *r->threads); // `thread_count` counts those started
    r->received = calloc((size_t)connections * (size_t)booking_count + 1, 1);
    if (!r->bookings || !r->booking_lengths || !r->delivered || !r->last_delivery || !r->connections || !r->threads || !r->received) {
        bench_reader_stop(r);
        return NULL;
    }
    for (int i = 0; i < booking_count; i++) {
        r->bookings[i] = strdup(bookings[i]);
        r->booking_lengths[i] = (int)strlen(bookings[i]);
    }
    for (int i = 0; i < connections; i++) {
        r->connections[i].fd = -1;
        r->connections[i].state = CLOSED;
        r->connections[i].received = r->received + (size_t)i * (size_t)booking_count;
    }
    for (int i = 0; i < threads; i++) {
        struct thread *t = &r->threads[i];
        t->reader = r;
        t->first = t->next = (int)((int64_t)connections * i / threads);
        t->end = (int)((int64_t)connections * (i + 1) / threads);
        t->epoll = epoll_create1(0);
        if (t->epoll < 0 || pthread_create(&t->id, NULL, run, t) != 0) {
            if (t->epoll >= 0) close(t->epoll);
            bench_reader_stop(r);
            return NULL;
        }
        r->thread_count = i + 1;
    }
    return r;
}

int64_t bench_reader_subscribed(const bench_reader *r) { return atomic_load(&((bench_reader *)r)->subscribed); }
int64_t bench_reader_failed(const bench_reader *r) { return atomic_load(&((bench_reader *)r)->failed); }
int64_t bench_reader_duplicates(const bench_reader *r) { return atomic_load(&((bench_reader *)r)->duplicates); }
int64_t bench_reader_unexpected(const bench_reader *r) { return atomic_load(&((bench_reader *)r)->unexpected); }
int64_t bench_reader_frames(const bench_reader *r) { return atomic_load(&((bench_reader *)r)->frames); }

int64_t bench_reader_delivered(const bench_reader *r, int booking) {
    return booking >= 0 && booking < r->booking_count ? atomic_load(&((bench_reader *)r)->delivered[booking]) : 0;
}

int64_t bench_reader_last_delivery(const bench_reader *r, int booking) {
    return booking >= 0 && booking < r->booking_count ? atomic_load(&((bench_reader *)r)->last_delivery[booking]) : 0;
}

void bench_reader_stop(bench_reader *r) {
    if (!r) return;
    atomic_store(&r->stopping, true);
    for (int i = 0; i < r->thread_count; i++) {
        pthread_join(r->threads[i].id, NULL);
        close(r->threads[i].epoll);
    }
    for (int i = 0; r->connections && i < r->connection_count; i++) {
        if (r->connections[i].fd >= 0) close(r->connections[i].fd);
    }
    for (int i = 0; r->bookings && i < r->booking_count; i++) free(r->bookings[i]);
    free(r->received);
    free(r->bookings);
    free(r->booking_lengths);
    free(r->delivered);
    free(r->last_delivery);
    free(r->connections);
    free(r->threads);
    free(r);
}

#else

bench_reader *bench_reader_start(const char *ipv4, int port, int connections,
                                 const char *const *bookings, int booking_count, int threads) {
    return 0;
}
int64_t bench_reader_subscribed(const bench_reader *r) { return 0; }
int64_t bench_reader_failed(const bench_reader *r) { return 0; }
int64_t bench_reader_delivered(const bench_reader *r, int booking) { return 0; }
int64_t bench_reader_last_delivery(const bench_reader *r, int booking) { return 0; }
int64_t bench_reader_duplicates(const bench_reader *r) { return 0; }
int64_t bench_reader_unexpected(const bench_reader *r) { return 0; }
int64_t bench_reader_frames(const bench_reader *r) { return 0; }
void bench_reader_stop(bench_reader *r) {}

#endif
