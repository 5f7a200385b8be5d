// libFuzzer's entry for programs that keep their own main (compiler-rt's
// FuzzerInterface.h declares it the same way). It parses libFuzzer's command
// line from argc/argv and runs `callback` on every input.
#ifndef SWIFT_WEBRTC_FUZZING_CLIBFUZZER_H
#define SWIFT_WEBRTC_FUZZING_CLIBFUZZER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
