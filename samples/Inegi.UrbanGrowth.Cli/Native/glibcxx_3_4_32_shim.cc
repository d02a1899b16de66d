// Debian 12 compatibility shim for the TorchSharp 0.107.0 native bridge (libLibTorchSharp.so).
//
// libLibTorchSharp.so was built with GCC 13 and imports one symbol of GLIBCXX_3.4.32,
// std::ios_base_library_init(), which GCC 13 calls from every translation unit that includes <iostream>
// (it replaces the static std::ios_base::Init object of earlier GCCs). Debian 12's libstdc++ (GCC 12) stops at
// GLIBCXX_3.4.30. This library defines that function the pre-GCC-13 way, so that the bridge loads once its
// GLIBCXX_3.4.32 requirement is marked weak (weaken_glibcxx_3_4_32.py). Built and used by the test project only,
// and only where the system libstdc++ lacks GLIBCXX_3.4.32; see docs/cnn.md.
#include <ios>

namespace std
{
    void ios_base_library_init()
    {
        static ios_base::Init init;
    }
}
