// Thin bridge to the system's libvpx (VP8).
#ifndef SWIFT_WEBRTC_CVPX_SHIM_H
#define SWIFT_WEBRTC_CVPX_SHIM_H

#include <vpx/vp8cx.h>
#include <vpx/vp8dx.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vpx_image.h>

/// `vpx_codec_enc_init` is a function-like macro that passes the ABI version;
/// Swift cannot expand it, so this wrapper does.
static inline vpx_codec_err_t cvpx_codec_enc_init(vpx_codec_ctx_t *context,
                                                  vpx_codec_iface_t *interface,
                                                  const vpx_codec_enc_cfg_t *config,
                                                  vpx_codec_flags_t flags) {
    return vpx_codec_enc_init(context, interface, config, flags);
}

/// `vpx_codec_dec_init` is a function-like macro as well; see above.
static inline vpx_codec_err_t cvpx_codec_dec_init(vpx_codec_ctx_t *context,
                                                  vpx_codec_iface_t *interface,
                                                  const vpx_codec_dec_cfg_t *config,
                                                  vpx_codec_flags_t flags) {
    return vpx_codec_dec_init(context, interface, config, flags);
}

/// `vpx_codec_control` is a variadic macro; this wraps the one integer control
/// the real-time encoder setup needs (for example `VP8E_SET_CPUUSED`).
static inline vpx_codec_err_t cvpx_codec_control_int(vpx_codec_ctx_t *context, int controlID, int value) {
    return vpx_codec_control_(context, controlID, value);
}

/// `vpx_codec_control` for the controls that report an integer through a
/// pointer (for example `VP8D_GET_FRAME_CORRUPTED`).
static inline vpx_codec_err_t cvpx_codec_control_int_pointer(vpx_codec_ctx_t *context, int controlID, int *value) {
    return vpx_codec_control_(context, controlID, value);
}

#endif
