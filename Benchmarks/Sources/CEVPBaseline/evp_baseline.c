// See include/evp_baseline.h. The HMAC keeps SHA-1's inner and outer states and
// copies them per packet, as the Swift transform does (OpenSSL 3's EVP_MAC
// re-initialisation allocates twice per packet and is slower).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "evp_baseline.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

struct evp_baseline {
    int gcm;
    EVP_CIPHER_CTX *cipher;
    SHA_CTX inner, outer;
    uint8_t salt[14];
};

evp_baseline *evp_baseline_new(int gcm, int encrypt, const uint8_t *key, const uint8_t *auth_key,
                               const uint8_t *salt) {
    evp_baseline *b = calloc(1, sizeof *b);
    if (b == NULL) return NULL;
    b->gcm = gcm;
    b->cipher = EVP_CIPHER_CTX_new();
    if (b->cipher == NULL ||
        EVP_CipherInit_ex(b->cipher, gcm ? EVP_aes_128_gcm() : EVP_aes_128_ctr(), NULL, key, NULL, encrypt) != 1) {
        evp_baseline_free(b);
        return NULL;
    }
    memcpy(b->salt, salt, gcm ? 12 : 14);
    if (!gcm) {
        uint8_t pad[64];
        memset(pad, 0x36, sizeof pad);
        for (int i = 0; i < 20; i++) pad[i] ^= auth_key[i];
        SHA1_Init(&b->inner);
        SHA1_Update(&b->inner, pad, sizeof pad);
        memset(pad, 0x5c, sizeof pad);
        for (int i = 0; i < 20; i++) pad[i] ^= auth_key[i];
        SHA1_Init(&b->outer);
        SHA1_Update(&b->outer, pad, sizeof pad);
    }
    return b;
}

void evp_baseline_free(evp_baseline *b) {
    if (b == NULL) return;
    EVP_CIPHER_CTX_free(b->cipher);
    free(b);
}

static void make_iv(const evp_baseline *b, const uint8_t *packet, uint64_t index, uint8_t iv[16]) {
    int offset = b->gcm ? 2 : 4;
    memset(iv, 0, 16);
    memcpy(iv, b->salt, b->gcm ? 12 : 14);
    for (int i = 0; i < 4; i++) iv[offset + i] ^= packet[8 + i];
    for (int i = 0; i < 6; i++) iv[offset + 4 + i] ^= (uint8_t)(index >> (40 - 8 * i));
}

static void hmac(const evp_baseline *b, const uint8_t *data, int length, uint32_t roc, uint8_t digest[20]) {
    uint8_t roc_bytes[4] = {(uint8_t)(roc >> 24), (uint8_t)(roc >> 16), (uint8_t)(roc >> 8), (uint8_t)roc};
    SHA_CTX state = b->inner;
    SHA1_Update(&state, data, (size_t)length);
    SHA1_Update(&state, roc_bytes, 4);
    SHA1_Final(digest, &state);
    state = b->outer;
    SHA1_Update(&state, digest, 20);
    SHA1_Final(digest, &state);
}

int evp_baseline_protect(evp_baseline *b, uint8_t *packet, int length, uint64_t index) {
    uint8_t iv[16];
    int written = 0;
    make_iv(b, packet, index, iv);
    if (EVP_CipherInit_ex(b->cipher, NULL, NULL, NULL, iv, -1) != 1) return -1;
    if (b->gcm) {
        if (EVP_CipherUpdate(b->cipher, NULL, &written, packet, 12) != 1) return -1;
        if (EVP_CipherUpdate(b->cipher, packet + 12, &written, packet + 12, length - 12) != 1) return -1;
        if (EVP_CipherFinal_ex(b->cipher, iv, &written) != 1) return -1;
        if (EVP_CIPHER_CTX_ctrl(b->cipher, EVP_CTRL_AEAD_GET_TAG, 16, packet + length) != 1) return -1;
        return length + 16;
    }
    if (EVP_CipherUpdate(b->cipher, packet + 12, &written, packet + 12, length - 12) != 1) return -1;
    uint8_t digest[20];
    hmac(b, packet, length, (uint32_t)(index >> 16), digest);
    memcpy(packet + length, digest, 10);
    return length + 10;
}

int evp_baseline_unprotect(evp_baseline *b, uint8_t *packet, int length, uint64_t index) {
    uint8_t iv[16];
    int written = 0;
    make_iv(b, packet, index, iv);
    if (b->gcm) {
        int end = length - 16;
        if (EVP_CipherInit_ex(b->cipher, NULL, NULL, NULL, iv, -1) != 1) return -1;
        if (EVP_CIPHER_CTX_ctrl(b->cipher, EVP_CTRL_AEAD_SET_TAG, 16, packet + end) != 1) return -1;
        if (EVP_CipherUpdate(b->cipher, NULL, &written, packet, 12) != 1) return -1;
        if (EVP_CipherUpdate(b->cipher, packet + 12, &written, packet + 12, end - 12) != 1) return -1;
        if (EVP_CipherFinal_ex(b->cipher, iv, &written) != 1) return -1;
        return end;
    }
    int end = length - 10;
    uint8_t digest[20];
    hmac(b, packet, end, (uint32_t)(index >> 16), digest);
    if (CRYPTO_memcmp(digest, packet + end, 10) != 0) return -1;
    if (EVP_CipherInit_ex(b->cipher, NULL, NULL, NULL, iv, -1) != 1) return -1;
    if (EVP_CipherUpdate(b->cipher, packet + 12, &written, packet + 12, end - 12) != 1) return -1;
    return end;
}
