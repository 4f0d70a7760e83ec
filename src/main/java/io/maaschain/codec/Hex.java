package io.maaschain.codec;

import java.util.HexFormat;

/** Lower-case hexadecimal, the text form of every hash, key and address in the API. */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {}

    public static String encode(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Accepts an optional {@code 0x} prefix; rejects odd lengths and non-hex characters. */
    public static byte[] decode(String text) {
        String s = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        if ((s.length() & 1) != 0) {
            throw new CodecException("hex string has an odd number of digits");
        }
        try {
            return HEX.parseHex(s);
        } catch (IllegalArgumentException e) {
            throw new CodecException("not a hex string: " + e.getMessage());
        }
    }
}
