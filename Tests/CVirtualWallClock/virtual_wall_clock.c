// A gettimeofday() for the test process that can follow a virtual clock.
//
// OpenSSL 3.0 times DTLS retransmissions with gettimeofday() and has no hook
// for another clock. This definition in the test executable takes the place
// of libc's for every library in the process (the executable's symbols come
// first when the dynamic linker binds libssl's reference). While no virtual
// time is set it returns the real time, so tests on the real clock see no
// difference.
#define _GNU_SOURCE
#include "virtual_wall_clock.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/time.h>
#include <time.h>

static atomic_bool active = false;
static _Atomic int64_t virtual_microseconds = 0;

void virtual_wall_clock_set(int64_t microseconds) {
    atomic_store(&virtual_microseconds, microseconds);
    atomic_store(&active, true);
}

void virtual_wall_clock_clear(void) {
    atomic_store(&active, false);
}

int64_t virtual_wall_clock_real_now(void) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
    (void)tz;
    int64_t microseconds = atomic_load(&active) ? atomic_load(&virtual_microseconds) : virtual_wall_clock_real_now();
    tv->tv_sec = (time_t)(microseconds / 1000000);
    tv->tv_usec = (suseconds_t)(microseconds % 1000000);
    return 0;
}
