// The bare OpenSSL calls one SRTP packet costs, written in C: the baseline the
// SecureTransport OpenSSL transform is measured against. No index guess, no
// replay window, no header parsing beyond a fixed 12-byte header: only the
// cipher and the tag, with contexts keyed once.
#ifndef SWIFT_WEBRTC_BENCHMARKS_EVP_BASELINE_H
#define SWIFT_WEBRTC_BENCHMARKS_EVP_BASELINE_H

#include <stddef.h>
#include <stdint.h>

typedef struct evp_baseline evp_baseline;

/// A context for AES-128-CM with an HMAC-SHA1-80 tag (gcm == 0; auth_key is 20
/// bytes, salt 14) or AES-128-GCM (gcm != 0; salt 12), encrypting or decrypting.
evp_baseline *evp_baseline_new(int gcm, int encrypt, const uint8_t *key, const uint8_t *auth_key,
                               const uint8_t *salt);
void evp_baseline_free(evp_baseline *baseline);

/// Encrypts the payload after a 12-byte header in place and appends the tag
/// (10 or 16 bytes). `index` is the 48-bit packet index. Returns the new length,
/// or -1 if a call failed.
int evp_baseline_protect(evp_baseline *baseline, uint8_t *packet, int length, uint64_t index);

/// Verifies the tag and decrypts in place. Returns the length without the tag,
/// or -1 when the tag is wrong or a call failed.
int evp_baseline_unprotect(evp_baseline *baseline, uint8_t *packet, int length, uint64_t index);

#endif
