// Nothing to compile: the module only declares libFuzzer's driver, which the
// `-sanitize=fuzzer` link brings.
#include "CLibFuzzer.h"
