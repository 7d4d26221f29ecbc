// Compiles include/carnet.hpp alone with every warning an error (Linux: make bindings-test; Windows:
// mingw-w64 in make bindings-windows-check, linked against the carnet.def import library). Opens
// nothing unless given a store directory.
#include "carnet.hpp"

#include <iostream>

int main(int argc, char **argv) {
    std::cout << "carnet.hpp over carnet.h " << CARNET_VERSION_STRING << "\n";
    if (argc < 2) return 0;
    carnet::options options;
    options.store_directory = argv[1];
    options.log = [](carnet_log_level, const char *line) { std::cerr << line << "\n"; };
    try {
        carnet::client client(options);
        carnet::client moved(std::move(client));
        std::cout << "catalogue " << moved.catalogue_info().size() << " bytes\n";
        moved.link_get(std::string("with\0nul", 8));
    } catch (const carnet::error &e) {
        std::cout << e.status_name() << " field=" << e.field() << " " << e.what() << "\n";
        return e.status() == CARNET_E_INVALID_ARGUMENT && e.field() == "patient_id" ? 0 : 1;
    }
    return 1;
}
