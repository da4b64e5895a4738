// libxcrypt (Debian's libcrypt-dev): yescrypt password hashing via
// crypt_gensalt_rn / crypt_rn, which are thread-safe (no static buffers).
#ifndef CCRYPT_SHIM_H
#define CCRYPT_SHIM_H
#include <crypt.h>
#endif
