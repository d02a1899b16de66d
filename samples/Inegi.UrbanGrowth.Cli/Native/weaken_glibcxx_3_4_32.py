"""Marks the GLIBCXX_3.4.32 version requirement of ELF shared objects weak (VER_FLG_WEAK), in place.

Debian 12 compatibility step for TorchSharp 0.107.0's libLibTorchSharp.so (see glibcxx_3_4_32_shim.cc and
docs/cnn.md): with the requirement weak, glibc's loader accepts a libstdc++ without GLIBCXX_3.4.32 and resolves the
one symbol of that version, std::ios_base_library_init(), from the shim. Prints, per file, how many entries it
changed (0 when already weak or not required). Usage: weaken_glibcxx_3_4_32.py FILE...
"""
import struct
import sys

WANTED = b'GLIBCXX_3.4.32'
SHT_GNU_VERNEED = 0x6ffffffe
VER_FLG_WEAK = 0x2


def weaken(path):
    data = bytearray(open(path, 'rb').read())
    if data[:4] != b'\x7fELF' or data[4] != 2 or data[5] != 1:
        raise SystemExit(f'{path}: not a 64-bit little-endian ELF file')
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shentsize, shnum = struct.unpack_from('<HH', data, 0x3A)
    sections = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * shentsize) for i in range(shnum)]
    changed = 0
    for s in sections:
        if s[1] != SHT_GNU_VERNEED:
            continue
        strtab_offset = sections[s[6]][4]
        off = s[4]
        while True:
            _, vn_cnt, _, vn_aux, vn_next = struct.unpack_from('<HHIII', data, off)
            aux = off + vn_aux
            for _ in range(vn_cnt):
                _, vna_flags, _, vna_name, vna_next = struct.unpack_from('<IHHII', data, aux)
                start = strtab_offset + vna_name
                if bytes(data[start:data.index(0, start)]) == WANTED and not vna_flags & VER_FLG_WEAK:
                    struct.pack_into('<H', data, aux + 4, vna_flags | VER_FLG_WEAK)
                    changed += 1
                aux += vna_next
            if not vn_next:
                break
            off += vn_next
    if changed:
        with open(path + '.tmp', 'wb') as f:
            f.write(data)
        import os
        os.replace(path + '.tmp', path)
    print(f'{path}: {changed}')


for p in sys.argv[1:]:
    weaken(p)
