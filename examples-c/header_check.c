/* Includes only the public header, to prove it stands alone. Compiled as C99
 * and as C++17 with every warning an error by `make header-check`. */
#include "carnet.h"

int main(void) {
    carnet_options options = CARNET_OPTIONS_INIT;
    carnet_error error = CARNET_ERROR_INIT;
    carnet_client *client = NULL;
    (void)client;
    /* The initialiser declares the struct's own size and leaves it empty. */
    if (error.struct_size != sizeof(carnet_error) || error.status != CARNET_OK || error.message[0] != '\0'
        || error.field[0] != '\0')
        return 1;
    /* The four fixed members come first in every version of the layout (the library's minimum size). */
    if ((const char *)&error.message - (const char *)&error != 16) return 1;
    return options.version == CARNET_OPTIONS_VERSION && CARNET_VERSION_NUMBER > 0 ? 0 : 1;
}
