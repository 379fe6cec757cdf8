package dev.waitonaddress.spi;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * How a backend binds its OS library, written once: the override property, the refusal off the
 * backend's OS, probing, and the description of what was bound.
 *
 * <p>{@code -Ddev.waitonaddress.<backend>.library=PATH} binds the library at PATH instead of the
 * OS's, on any OS: a stand-in with the same exported symbols, such as the test build's contract
 * emulators. Without it, a backend binds its OS library on its own OS only.
 */
public final class NativeBinding {
    private NativeBinding() {
    }

    /**
     * Names the system property that overrides a backend's library.
     *
     * @param backend the backend's name
     * @return the override property of that backend, {@code dev.waitonaddress.<backend>.library}
     */
    public static String libraryProperty(String backend) {
        return "dev.waitonaddress." + backend + ".library";
    }

    /**
     * Reads the override of a backend's library; a blank value counts as none.
     *
     * @param backend the backend's name
     * @return the overriding path, or null when the backend binds its OS's library
     */
    public static String override(String backend) {
        String path = System.getProperty(libraryProperty(backend));
        return path == null || path.trim().isEmpty() ? null : path.trim();
    }

    /**
     * Loads the library a backend binds: the override, or else the OS's library on its own OS.
     * Call it from the static initialiser of the class that declares the native methods.
     *
     * @param backend the backend's name
     * @param onItsOs whether this is the backend's OS (e.g. {@link Platform#isLinux()})
     * @param osLibrary the OS library's name for {@link NativeLibrary#getInstance(String)}
     * @param needs what the backend needs, for the refusal, e.g. {@code "Windows 8 or later"}
     * @return the library
     * @throws UnsupportedOperationException off the backend's OS without an override, or in a 32-bit JVM
     */
    public static NativeLibrary load(String backend, boolean onItsOs, String osLibrary, String needs) {
        String path = override(backend);
        if (path == null && !onItsOs) {
            throw new UnsupportedOperationException(backend + " needs " + needs + "; this is "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ". -D"
                    + libraryProperty(backend) + "=PATH binds a stand-in library with the same symbols instead");
        }
        if (!Platform.is64Bit()) {
            throw new UnsupportedOperationException(backend + " supports 64-bit JVMs only; this one is 32-bit");
        }
        return NativeLibrary.getInstance(path != null ? path : osLibrary);
    }

    /**
     * Describes what {@link #load} binds, for messages.
     *
     * @param backend the backend's name
     * @param osLibrary how to name the OS's library, e.g. {@code "libc"}
     * @return what {@link #load} binds, for messages: the override's path and property, or {@code osLibrary}
     */
    public static String describe(String backend, String osLibrary) {
        String path = override(backend);
        return path != null ? path + " (-D" + libraryProperty(backend) + ")" : osLibrary;
    }

    /**
     * Runs a backend's probe: binding its library and one harmless call.
     *
     * @param harmlessCall binds (by touching the class that loads the library) and calls the OS
     *     once, throwing if the answer shows the backend cannot work here
     * @return null when it ran, else why the backend is unavailable: the cause of a failed class
     *     initialisation, not the wrapper
     */
    public static Throwable probe(Runnable harmlessCall) {
        try {
            harmlessCall.run();
            return null;
        } catch (ExceptionInInitializerError e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (Throwable t) { // no JNA native library, a missing export, NoClassDefFoundError after a failed init
            return t;
        }
    }
}
