#ifndef C_BENCH_READER_H
#define C_BENCH_READER_H

#include <stdint.h>

/// A room of bench members read with epoll and no framework: Socket.IO websocket clients that
/// subscribe to the same bookings, answer heartbeats, and count the `transaction_success`
/// events they receive. The bench's SwiftNIO client spends about 7 µs of CPU per frame; a
/// generator that slow would take a good part of what a 5,000-member fan-out measures.
typedef struct bench_reader bench_reader;

/// Starts `threads` threads that between them open `connections` websocket connections to
/// `ipv4`:`port` (`/socket.io/`, Engine.IO 4), each subscribing (without ack ids) to every one of
/// the `booking_count` bookings. Returns NULL if a thread or the memory cannot be had.
bench_reader *bench_reader_start(const char *ipv4, int port, int connections,
                                 const char *const *bookings, int booking_count, int threads);

/// Connections whose subscriptions are written.
int64_t bench_reader_subscribed(const bench_reader *reader);
/// Connections that failed or closed (before or after subscribing).
int64_t bench_reader_failed(const bench_reader *reader);
/// First copies of booking `booking`'s `transaction_success`, one per connection at most.
int64_t bench_reader_delivered(const bench_reader *reader, int booking);
/// When the last of those arrived, in CLOCK_MONOTONIC nanoseconds (0: none yet).
int64_t bench_reader_last_delivery(const bench_reader *reader, int booking);
/// Further copies at a connection that already had one.
int64_t bench_reader_duplicates(const bench_reader *reader);
/// `transaction_success` events for a booking the connection does not watch.
int64_t bench_reader_unexpected(const bench_reader *reader);
/// Websocket text frames received.
int64_t bench_reader_frames(const bench_reader *reader);
/// Stops the threads, closes every connection and frees the reader.
void bench_reader_stop(bench_reader *reader);

#endif
