// libsrtp2 for the benchmarks' raw-C baselines (the library's own bridge,
// CSRTP, is internal to the root package).
#ifndef SWIFT_WEBRTC_BENCHMARKS_CSRTP_SHIM_H
#define SWIFT_WEBRTC_BENCHMARKS_CSRTP_SHIM_H

#include <srtp2/srtp.h>

#endif
