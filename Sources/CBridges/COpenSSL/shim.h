// Thin bridge to the system's OpenSSL (libssl + libcrypto).
// Only headers are gathered here; Swift calls the C API directly.
// Helpers for function-like macros are added here as later modules need them.
#ifndef SWIFT_WEBRTC_COPENSSL_SHIM_H
#define SWIFT_WEBRTC_COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#endif
