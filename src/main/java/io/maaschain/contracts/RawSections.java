package io.maaschain.contracts;

import java.util.ArrayList;
import java.util.List;

/** The sections of a module binary as byte ranges of its payloads, in file order. */
final class RawSections {
    static final int CUSTOM = 0;
    static final int GLOBAL = 6;
    static final int MEMORY = 5;
    static final int CODE = 10;

    record Section(int id, int from, int to) {}

    private RawSections() {}

    static List<Section> split(byte[] module) {
        WasmReader r = new WasmReader(module);
        for (int i = 0; i < 8; i++) r.u8(); // magic and version, checked by the parser
        List<Section> out = new ArrayList<>();
        while (!r.atEnd()) {
            int id = r.u8();
            int size = r.index();
            int from = r.position();
            r.skip(size);
            out.add(new Section(id, from, from + size));
        }
        return out;
    }

    /** Where a section id goes in a module: the order the binary format requires (data count before code). */
    static int rank(int id) {
        return switch (id) {
            case 1, 2, 3, 4, 5 -> id;
            case 13 -> 6; // tag
            case 6, 7, 8, 9 -> id + 1;
            case 12 -> 11; // data count
            case 10 -> 12;
            case 11 -> 13;
            default -> 99;
        };
    }
}
