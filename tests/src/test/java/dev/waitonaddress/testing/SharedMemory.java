package dev.waitonaddress.testing;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * A file mapped {@code MAP_SHARED} into this process (under {@code /dev/shm} when it exists), for
 * waits across processes. Keep the object reachable while its {@link #pointer()} is in use.
 */
public final class SharedMemory implements AutoCloseable {
    private final Path file;
    private final MappedByteBuffer buffer;
    private final Pointer pointer;

    private SharedMemory(Path file, int size) throws IOException {
        this.file = file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            if (ch.size() < size) {
                ch.truncate(size);
                ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
            }
            this.buffer = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
        }
        this.pointer = Native.getDirectBufferPointer(buffer);
    }

    /** Creates a new zero-filled file of {@code size} bytes and maps it. */
    public static SharedMemory create(String prefix, int size) throws IOException {
        Path dir = Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm") : Paths.get(System.getProperty("java.io.tmpdir"));
        Path f = Files.createTempFile(dir, prefix, ".shm");
        f.toFile().deleteOnExit();
        return new SharedMemory(f, size);
    }

    /** Maps an existing file (made by another process with {@link #create}). */
    public static SharedMemory open(Path file, int size) throws IOException {
        return new SharedMemory(file, size);
    }

    public Path file() {
        return file;
    }

    public MappedByteBuffer buffer() {
        return buffer;
    }

    /** @return the address of the first byte of the mapping */
    public Pointer pointer() {
        return pointer;
    }

    /** Deletes the file; the mapping stays valid until the buffer is collected. */
    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }
}
