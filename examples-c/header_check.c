/* Includes only the public header, to prove it stands alone. Compiled as C99
 * and as C++17 with every warning an error by `make header-check`. */
#include "carnet.h"

int main(void) {
    carnet_options options = CARNET_OPTIONS_INIT;
    carnet_error error;
    carnet_client *client = NULL;
    (void)error;
    (void)client;
    return options.version == CARNET_OPTIONS_VERSION && CARNET_VERSION_NUMBER > 0 ? 0 : 1;
}
