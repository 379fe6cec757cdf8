package dev.waitonaddress.macos;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Which library a macOS backend binds: libSystem on macOS, or the stand-in named by the backend's
 * override property {@code dev.waitonaddress.<backend name>.library=PATH} (DESIGN section 6), which
 * also makes the backend available on any operating system.
 */
final class DarwinLibrary {
    private DarwinLibrary() {
    }

    /** @return the override property of the backend called {@code backend} */
    static String overrideProperty(String backend) {
        return "dev.waitonaddress." + backend + ".library";
    }

    /** @return the overriding path, or null when the backend binds the OS's own library */
    static String override(String backend) {
        String path = System.getProperty(overrideProperty(backend));
        return path == null || path.isEmpty() ? null : path;
    }

    /**
     * @return why {@code backend} cannot bind here before anything is loaded, or null when it may try:
     *     without an override it needs macOS
     */
    static Throwable notHere(String backend, String needs) {
        if (override(backend) != null || Platform.isMac()) {
            return null;
        }
        return new UnsupportedOperationException(backend + " needs macOS (" + needs + "); this is "
                + System.getProperty("os.name") + ". -D" + overrideProperty(backend)
                + "=PATH binds a stand-in library with the same symbols instead");
    }

    /**
     * @return the override library, or libSystem (through {@code libc.dylib}, which is libSystem and
     *     re-exports libsystem_kernel and libsystem_platform, where the functions live)
     */
    static NativeLibrary load(String backend) {
        String path = override(backend);
        return NativeLibrary.getInstance(path != null ? path : Platform.C_LIBRARY_NAME);
    }

    /** @return a description of the library {@link #load} binds, for messages */
    static String describe(String backend) {
        String path = override(backend);
        return path != null ? path + " (from -D" + overrideProperty(backend) + ")" : "libSystem";
    }
}
