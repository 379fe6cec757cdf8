package dev.waitonaddress;

import java.lang.module.Configuration;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fail-fast discovery: demands, at start-up, that this JVM waits through its operating system's
 * own primitive, and says what to fix when it cannot.
 *
 * <p>{@link WaitOnAddress#system()} never fails for want of a native backend: it falls back to
 * {@code portable}, which waits in-process only. An application that needs the OS (waits shared
 * with other processes, or with native code in this process) calls {@link #ensureAvailability()}
 * (or {@link #ensureAvailability(Width, Scope)} for one width and scope) once at start-up and gets
 * an {@link IllegalStateException} whose message names the fix:
 * <ul>
 * <li>no backend for this OS is installed: add the OS's artifact (for example
 *     {@code wait-on-address-linux}) or the all-in-one {@code wait-on-address};
 * <li>the backend is installed but JNA cannot load its native library because native access is
 *     denied ({@code --illegal-native-access=deny}): grant it with {@code --enable-native-access};
 * <li>a runtime image made by {@code jlink} lacks the backend's module: link it with
 *     {@code --bind-services}, or add the module;
 * <li>the backend is installed but cannot run here (an unsupported architecture or OS version):
 *     its own reason.
 * </ul>
 *
 * <p>Only the public API is used ({@link WaitOnAddress#installed()}, {@link WaitOnAddress#system()}
 * and each backend's availability and capabilities), so the answer is the one {@code system()}
 * acts on. Every method is thread-safe and may be called any number of times; each call examines
 * the backends afresh (discovery itself runs once per JVM).
 */
public final class NativeSupport {
    private static final String PORTABLE = "portable";
    private static final String FORCE_PROPERTY = "dev.waitonaddress.backend";
    private static final String ALL_ARTIFACT = "wait-on-address";
    private static final String ALL_MODULE = "dev.waitonaddress.all";

    private NativeSupport() {
    }

    /** The backends, artifact and module that serve one operating system. */
    private static final class OsBackends {
        final String os;
        final List<String> names;
        final String artifact;
        final String module;

        OsBackends(String os, String artifact, String module, String... names) {
            this.os = os;
            this.names = Collections.unmodifiableList(Arrays.asList(names));
            this.artifact = artifact;
            this.module = module;
        }
    }

    /**
     * Whether {@link WaitOnAddress#system()} is a native backend of this operating system.
     *
     * @return true when the system backend is not {@code portable}
     */
    public static boolean isAvailable() {
        return !unavailabilityCause().isPresent();
    }

    /**
     * Why no native backend serves this JVM.
     *
     * @return empty when {@link #isAvailable()}; otherwise an {@link IllegalStateException} whose
     *     message says what to change, with the backend's own failure (if any) as its cause
     */
    public static Optional<Throwable> unavailabilityCause() {
        return Optional.ofNullable(diagnose());
    }

    /**
     * Demands a native backend for this operating system.
     *
     * @throws IllegalStateException if {@link WaitOnAddress#system()} is not a native backend; the
     *     message says what to add or change, and the cause is the backend's own failure, if any
     */
    public static void ensureAvailability() {
        IllegalStateException e = diagnose();
        if (e != null) {
            throw e;
        }
    }

    /**
     * Demands a native backend for this operating system that can wait on {@code width}-byte words
     * in {@code scope}: for {@link Scope#SHARED}, a width the OS waits on itself.
     *
     * @param width the width the application waits on
     * @param scope the scope it waits in
     * @throws NullPointerException if {@code width} or {@code scope} is null
     * @throws IllegalStateException if no native backend is available (as for
     *     {@link #ensureAvailability()}), or if the system backend cannot wait on this width in
     *     this scope; the message names the backend and what it can do
     */
    public static void ensureAvailability(Width width, Scope scope) {
        if (width == null || scope == null) {
            throw new NullPointerException(width == null ? "width" : "scope");
        }
        ensureAvailability();
        WaitOnAddress backend = WaitOnAddress.system();
        Capabilities c = backend.capabilities();
        if (!c.supports(width, scope)) {
            String can = scope == Scope.SHARED && !c.shared()
                    ? backend.name() + " cannot wait across processes at all"
                    : backend.name() + " waits " + (scope == Scope.SHARED ? "across processes" : "in-process")
                    + " on " + (scope == Scope.SHARED ? c.nativeWidths() : union(c)) + " only";
            throw new IllegalStateException("wait-on-address: " + backend.name() + " cannot wait on "
                    + width + " words in " + scope + " scope: " + can
                    + (scope == Scope.SHARED ? " (emulated widths are in-process only)" : "") + ".");
        }
    }

    private static List<Width> union(Capabilities c) {
        List<Width> all = new ArrayList<>(c.nativeWidths());
        all.addAll(c.emulatedWidths());
        Collections.sort(all);
        return all;
    }

    /**
     * @return what to add for SHARED scope on this OS, for the refusal of a backend that has no
     *     native width (portable), or an empty string on an OS no backend serves
     */
    static String sharedHint() {
        OsBackends os = forThisOs(System.getProperty("os.name", "?"));
        return os == null ? "" : "; on " + os.os + ", add " + os.artifact
                + " (or the all-in-one wait-on-address) for waits across processes";
    }

    /** @return null when a native backend is the system backend, else what to fix */
    private static IllegalStateException diagnose() {
        List<WaitOnAddress> installed = WaitOnAddress.installed();
        WaitOnAddress system;
        IllegalStateException noBackend = null;
        try {
            system = WaitOnAddress.system();
        } catch (IllegalStateException e) {
            system = null; // nothing available, portable included (JNA cannot load): find out why below
            noBackend = e;
        }
        if (system != null && !PORTABLE.equals(system.name())) {
            return null;
        }
        String forced = System.getProperty(FORCE_PROPERTY, "");
        if (system == null && (!forced.isEmpty() || forThisOs(System.getProperty("os.name", "?")) == null)) {
            return new IllegalStateException("wait-on-address: " + noBackend.getMessage(), noBackend);
        }
        if (!forced.isEmpty()) {
            return new IllegalStateException("wait-on-address: -D" + FORCE_PROPERTY + "=" + forced
                    + " forces the in-process portable backend; remove it to use the OS's.");
        }
        String osName = System.getProperty("os.name", "?");
        String where = osName + " (" + System.getProperty("os.arch", "?") + ")";
        OsBackends os = forThisOs(osName);
        if (os == null) {
            return new IllegalStateException("wait-on-address: no backend supports " + where
                    + " yet; only portable (in-process waits, PRIVATE scope) is available.");
        }
        String head = "wait-on-address: no native backend for " + where + " is available ("
                + (system != null ? "the system backend is portable: in-process waits only). "
                        : "nor portable: " + noBackend.getMessage().replace(System.lineSeparator(), " ") + "). ");
        Throwable denied = null;
        WaitOnAddress unavailable = null;
        for (WaitOnAddress b : installed) {
            if (os.names.contains(b.name())) {
                Throwable cause = b.unavailabilityCause().orElse(null);
                if (unavailable == null) {
                    unavailable = b;
                }
                if (denied == null && nativeAccessDenied(cause)) {
                    denied = cause;
                }
            }
        }
        boolean named = NativeSupport.class.getModule().isNamed();
        if (denied != null || (unavailable != null && denyFlagGiven()
                && unavailable.unavailabilityCause().orElse(null) instanceof LinkageError)) {
            Throwable cause = denied != null ? denied : unavailable.unavailabilityCause().orElse(null);
            return new IllegalStateException(head + "JNA cannot load: native access is denied "
                    + "(--illegal-native-access=deny). Grant it: "
                    + (named ? "--enable-native-access=com.sun.jna,dev.waitonaddress (module path)"
                             : "--enable-native-access=ALL-UNNAMED (class path)")
                    + ", or Enable-Native-Access: ALL-UNNAMED in the manifest of an executable jar.", cause);
        }
        if (unavailable != null) {
            Throwable cause = unavailable.unavailabilityCause().orElse(null);
            return new IllegalStateException(head + unavailable.name() + " is installed but cannot run here: "
                    + (cause == null ? "no reason given" : cause), cause);
        }
        String add = "add " + os.artifact + " (or the all-in-one " + ALL_ARTIFACT + ")";
        if (!named) {
            return new IllegalStateException(head + "No backend for " + os.os + " is installed: " + add
                    + " to the class path.");
        }
        ModuleLayer layer = NativeSupport.class.getModule().getLayer();
        boolean present = layer != null && layer.findModule(os.module).isPresent();
        if (present) {
            return new IllegalStateException(head + "Module " + os.module + " is in the module layer but"
                    + " ServiceLoader found no backend in it: in a jlink image, link with --bind-services;"
                    + " in a custom ModuleLayer, resolve it with resolveAndBind.");
        }
        if (inRuntimeImage(layer)) {
            return new IllegalStateException(head + "This runtime image lacks module " + os.module
                    + ": the jlink image was built without --bind-services. Link it with --bind-services,"
                    + " or with --add-modules " + os.module + " (or " + ALL_MODULE + ").");
        }
        return new IllegalStateException(head + "No backend for " + os.os + " is installed: " + add
                + " to the module path (module " + os.module + ").");
    }

    private static OsBackends forThisOs(String osName) {
        String os = osName.toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return new OsBackends("Linux", "wait-on-address-linux", "dev.waitonaddress.linux", "linux-futex");
        }
        if (os.startsWith("windows")) {
            return new OsBackends("Windows", "wait-on-address-windows", "dev.waitonaddress.windows", "windows");
        }
        if (os.startsWith("mac") || os.startsWith("darwin")) {
            return new OsBackends("macOS", "wait-on-address-macos", "dev.waitonaddress.macos",
                    "macos-os-sync", "macos-ulock");
        }
        if (os.startsWith("openbsd")) {
            return new OsBackends("OpenBSD", "wait-on-address-openbsd", "dev.waitonaddress.openbsd",
                    "openbsd-futex");
        }
        if (os.startsWith("freebsd")) {
            return new OsBackends("FreeBSD", "wait-on-address-freebsd", "dev.waitonaddress.freebsd",
                    "freebsd-umtx");
        }
        return null;
    }

    /** @return whether {@code t} or a cause of it is the JDK's refusal of native access */
    private static boolean nativeAccessDenied(Throwable t) {
        for (int depth = 0; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof IllegalCallerException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && m.toLowerCase(Locale.ROOT).contains("illegal native access")) {
                return true; // e.g. NoClassDefFoundError "Could not initialize class" quoting the first failure
            }
        }
        return false;
    }

    /** @return whether this JVM was started with --illegal-native-access=deny (as far as visible) */
    private static boolean denyFlagGiven() {
        List<String> args = new ArrayList<>(ProcessHandle.current().info().arguments()
                .map(Arrays::asList).orElse(Collections.emptyList()));
        for (String env : new String[] {"JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS"}) {
            String v = System.getenv(env);
            if (v != null) {
                args.addAll(Arrays.asList(v.trim().split("\\s+")));
            }
        }
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--illegal-native-access=deny")
                    || a.equals("--illegal-native-access") && i + 1 < args.size() && args.get(i + 1).equals("deny")) {
                return true;
            }
        }
        return false;
    }

    /** @return whether the API's module was linked into the running image (jlink) */
    private static boolean inRuntimeImage(ModuleLayer layer) {
        if (layer == null) {
            return false;
        }
        Configuration cf = layer.configuration();
        Optional<ResolvedModule> self = cf.findModule(NativeSupport.class.getModule().getName());
        Optional<URI> location = self.flatMap(m -> m.reference().location());
        return location.isPresent() && "jrt".equals(location.get().getScheme());
    }
}
