#ifndef VIRTUAL_WALL_CLOCK_H
#define VIRTUAL_WALL_CLOCK_H

#include <stdint.h>

/// Makes gettimeofday() in this process return `microseconds` since the
/// Unix epoch, until virtual_wall_clock_clear(). Tests that run whole calls
/// on virtual time set it at every step, so that OpenSSL's DTLS
/// retransmission timer (which reads gettimeofday) runs on the same clock.
void virtual_wall_clock_set(int64_t microseconds);

/// Gives gettimeofday() back the real time.
void virtual_wall_clock_clear(void);

/// The real time, in microseconds since the Unix epoch.
int64_t virtual_wall_clock_real_now(void);

#endif
