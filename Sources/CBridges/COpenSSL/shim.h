// Thin bridge to the system's OpenSSL (libssl + libcrypto).
// Only headers are gathered here; Swift calls the C API directly.
// Helpers for function-like macros are added here as later modules need them.
#ifndef SWIFT_WEBRTC_COPENSSL_SHIM_H
#define SWIFT_WEBRTC_COPENSSL_SHIM_H

// The SRTP transform keeps HMAC-SHA1's inner and outer states and copies them per
// packet (SHA_CTX is a plain struct); OpenSSL 3 marks the SHA1_* calls deprecated
// in favour of EVP_MAC, whose re-initialisation allocates twice per packet.
#define OPENSSL_SUPPRESS_DEPRECATED

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/srtp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

// MARK: DTLS (SecureTransport)
// The wrappers below stand in for function-like macros (SSL_ctrl/BIO_ctrl calls)
// and for option bits built with SSL_OP_BIT, none of which Swift can import.

/// DTLSv1_get_timeout: time left on the retransmission timer in microseconds,
/// or -1 when no timer runs. OpenSSL measures it against the wall clock.
static inline long long shim_DTLSv1_get_timeout_us(SSL *ssl) {
    struct timeval tv;
    if (DTLSv1_get_timeout(ssl, &tv) <= 0) return -1;
    return (long long)tv.tv_sec * 1000000 + (long long)tv.tv_usec;
}

/// DTLSv1_handle_timeout: retransmits if the timer expired (1), nothing to do (0), fatal (-1).
static inline int shim_DTLSv1_handle_timeout(SSL *ssl) {
    return (int)DTLSv1_handle_timeout(ssl);
}

/// SSL_set_mtu: largest datagram the record layer may write (needs SSL_OP_NO_QUERY_MTU).
/// Returns 1 on success (the macro itself returns the MTU), 0 if it is too small.
static inline int shim_SSL_set_mtu(SSL *ssl, long mtu) { return SSL_set_mtu(ssl, mtu) > 0; }

/// DTLS_set_link_mtu: the link MTU (OpenSSL derives the record MTU from it). 1 on success.
static inline int shim_DTLS_set_link_mtu(SSL *ssl, long mtu) { return DTLS_set_link_mtu(ssl, mtu) > 0; }

/// SSL_CTX_set_min_proto_version / SSL_CTX_set_max_proto_version.
static inline int shim_SSL_CTX_set_proto_versions(SSL_CTX *ctx, int min, int max) {
    return SSL_CTX_set_min_proto_version(ctx, min) == 1 && SSL_CTX_set_max_proto_version(ctx, max) == 1;
}

/// SSL_CTX_set1_groups_list: key-exchange groups, e.g. "X25519:P-256".
static inline int shim_SSL_CTX_set1_groups_list(SSL_CTX *ctx, const char *list) {
    return (int)SSL_CTX_set1_groups_list(ctx, list);
}

/// SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF).
static inline void shim_SSL_CTX_disable_session_cache(SSL_CTX *ctx) {
    (void)SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

/// SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION: the options a
/// memory-BIO DTLS endpoint for WebRTC sets (fixed MTU, no tickets, no renegotiation).
static inline uint64_t shim_SSL_OP_webrtc_dtls(void) {
    return SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION;
}

/// BIO_set_mem_eof_return: what reading an empty memory BIO returns (-1 = retry, not EOF).
static inline int shim_BIO_set_mem_eof_return(BIO *bio, int value) {
    return (int)BIO_set_mem_eof_return(bio, value);
}

/// BIO_reset: empties a memory BIO.
static inline int shim_BIO_reset(BIO *bio) { return BIO_reset(bio); }

#endif
