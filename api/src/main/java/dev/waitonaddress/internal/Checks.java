package dev.waitonaddress.internal;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The argument checks of the public API, each worded once. Null references throw
 * {@link NullPointerException} naming the argument; bad values throw
 * {@link IllegalArgumentException} naming the value.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Checks the address of a word given as a pointer, and returns it as a number.
     *
     * @param p a word's address
     * @param bytes its width
     * @return the address as a number: non-zero, aligned to {@code bytes}
     * @throws NullPointerException if {@code p} is null
     * @throws IllegalArgumentException if it is 0 or misaligned, or a JNA {@code Memory} smaller than the word
     */
    public static long address(Pointer p, int bytes) {
        if (p == null) {
            throw new NullPointerException("address");
        }
        long a = address(Pointer.nativeValue(p), bytes);
        if (p instanceof Memory && ((Memory) p).size() < bytes) {
            throw new IllegalArgumentException("address 0x" + Long.toHexString(a) + ": an " + Words.widthName(bytes)
                    + " word needs " + bytes + " bytes; this Memory has " + ((Memory) p).size());
        }
        return a;
    }

    /**
     * Checks that the address of a word is non-zero and aligned to its width.
     *
     * @param a a word's address
     * @param bytes its width
     * @return {@code a}, checked to be non-zero and aligned to {@code bytes}
     * @throws IllegalArgumentException if it is not
     */
    public static long address(long a, int bytes) {
        if (a == 0 || (a & (bytes - 1)) != 0) {
            throw badAddress(a, bytes); // out of line: keeps this small enough to inline into every wake
        }
        return a;
    }

    /**
     * Words the refusal of an address that is 0 or not aligned; the caller throws it.
     *
     * @param a an address that is 0 or not aligned to {@code bytes}
     * @param bytes the width
     * @return the one exception for it
     */
    public static IllegalArgumentException badAddress(long a, int bytes) {
        return new IllegalArgumentException(a == 0 ? "address is 0 (NULL)"
                : "address 0x" + Long.toHexString(a) + " is not aligned to " + bytes + " bytes, as an "
                        + Words.widthName(bytes) + " word needs");
    }

    /**
     * Checks that an {@code expected} value fits its width, in the signed or the unsigned form;
     * every 64-bit value does.
     *
     * @param bytes a width
     * @param expected a value given as {@code expected}
     * @throws IllegalArgumentException if it is neither a signed nor an unsigned value of the width
     */
    public static void expected(int bytes, long expected) {
        if (bytes == 8) {
            return;
        }
        long min = -(1L << (8 * bytes - 1));
        long max = Words.mask(bytes);
        if (expected < min || expected > max) {
            throw new IllegalArgumentException("expected " + expected + " is neither a signed nor an unsigned "
                    + Words.widthName(bytes) + " value (" + min + ".." + max + ")");
        }
    }

    /**
     * Checks that a count is at least {@code min}.
     *
     * @param name the argument's name
     * @param count its value
     * @param min the smallest accepted value
     * @return {@code count}
     * @throws IllegalArgumentException if it is below {@code min}
     */
    public static int atLeast(String name, int count, int min) {
        if (count < min) {
            throw new IllegalArgumentException(name + " " + count + " is below " + min);
        }
        return count;
    }
}
