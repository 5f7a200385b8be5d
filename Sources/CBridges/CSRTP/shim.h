// Thin bridge to the system's libsrtp2 (the SRTP reference implementation).
#ifndef SWIFT_WEBRTC_CSRTP_SHIM_H
#define SWIFT_WEBRTC_CSRTP_SHIM_H

#include <srtp2/srtp.h>

#endif
