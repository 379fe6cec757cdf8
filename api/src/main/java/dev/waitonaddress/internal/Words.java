package dev.waitonaddress.internal;

import com.sun.jna.Pointer;

/**
 * Words of native memory by byte count (1, 2, 4 or 8): reading, comparing, the mask of a width,
 * and the hash that spreads addresses over a table of buckets.
 */
public final class Words {
    private Words() {
    }

    /**
     * Names a width as the public API does.
     *
     * @param bytes a width
     * @return its name, e.g. {@code "INT32"}
     */
    public static String widthName(int bytes) {
        return "INT" + 8 * bytes;
    }

    /**
     * Gives the mask of a width: its low {@code 8 * bytes} bits set.
     *
     * @param bytes a width
     * @return the bits of a word of that width set, e.g. {@code 0xffff_ffffL} for 4
     */
    public static long mask(int bytes) {
        return bytes == 8 ? -1L : (1L << (8 * bytes)) - 1;
    }

    /**
     * Sign-extends a value of a width to 64 bits.
     *
     * @param value a value of the width, in its signed or unsigned form
     * @param bytes the width
     * @return the value sign-extended from {@code bytes} bytes
     */
    public static long signExtend(long value, int bytes) {
        int shift = 64 - 8 * bytes;
        return value << shift >> shift;
    }

    /**
     * Compares two values in a width, ignoring the bits above it.
     *
     * @param a a value
     * @param b another
     * @param bytes the width they are compared in
     * @return whether their low {@code bytes} bytes agree (signed and unsigned forms are equal)
     */
    public static boolean equal(long a, long b, int bytes) {
        return ((a ^ b) & mask(bytes)) == 0;
    }

    /**
     * Reads a word through the caller's pointer (a JNA {@code Memory} checks its bounds).
     *
     * @param p the word
     * @param bytes its width
     * @return its value, sign-extended
     */
    public static long read(Pointer p, int bytes) {
        switch (bytes) {
            case 1: return p.getByte(0);
            case 2: return p.getShort(0);
            case 4: return p.getInt(0);
            case 8: return p.getLong(0);
            default: throw new IllegalArgumentException("width " + bytes + " is not 1, 2, 4 or 8 bytes");
        }
    }

    /**
     * Reads a word at a raw address.
     *
     * @param address the word's address, readable
     * @param bytes its width
     * @return its value, sign-extended
     */
    public static long read(long address, int bytes) {
        return read(new Pointer(address), bytes);
    }

    /**
     * Tells whether a word holds a value, compared in its width.
     *
     * @param p the word
     * @param bytes its width
     * @param expected the value compared with
     * @return whether the word holds {@code expected} in its low {@code bytes} bytes
     */
    public static boolean holds(Pointer p, int bytes, long expected) {
        return equal(read(p, bytes), expected, bytes);
    }

    /**
     * Fibonacci hashing: neighbouring words land in different buckets.
     *
     * @param address an address
     * @param bits the table has 2<sup>bits</sup> buckets
     * @return the bucket of {@code address}
     */
    public static int bucket(long address, int bits) {
        return (int) ((address * 0x9E3779B97F4A7C15L) >>> (64 - bits));
    }
}
