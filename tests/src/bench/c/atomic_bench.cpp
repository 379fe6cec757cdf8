// Baselines for AtomicWait: C++20 std::atomic<int>::wait / notify_one of libstdc++ (g++ -std=c++20 -O2).
//   atomic_bench MODE ITERATIONS SECONDS
// MODE: notify    notify_one with nobody waiting (libstdc++ counts waiters: no system call)
//       pingpong  round trip between two threads over one atomic<int>: store(1), notify_one, wait(1);
//                 the other side wait(0), store(0), notify_one (libstdc++ spins briefly, then sleeps)
// After one warm-up iteration it prints one line per iteration: "cpp.MODE <ns per op>".
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

static std::atomic<int> word{0};
static std::atomic<bool> stopping{false};

static void op_notify() { word.notify_one(); }

static void ping() {
    word.store(1);
    word.notify_one();
    word.wait(1);
}

static void answer() {
    for (;;) {
        word.wait(0);
        if (stopping.load()) return;
        word.store(0);
        word.notify_one();
    }
}

static void measure(const char *name, void (*op)(), int batch, int iterations, double seconds) {
    using clock = std::chrono::steady_clock;
    for (int it = -1; it < iterations; it++) { // -1: warm-up
        long ops = 0;
        auto start = clock::now();
        auto end = start + std::chrono::duration<double>(seconds);
        clock::time_point t;
        do {
            for (int k = 0; k < batch; k++) op();
            ops += batch;
        } while ((t = clock::now()) < end);
        double ns = std::chrono::duration<double, std::nano>(t - start).count();
        if (it >= 0) std::printf("cpp.%s %.1f\n", name, ns / ops);
        std::fflush(stdout);
    }
}

int main(int argc, char **argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s notify|pingpong ITERATIONS SECONDS\n", argv[0]);
        return 2;
    }
    int iterations = std::atoi(argv[2]);
    double seconds = std::atof(argv[3]);
    if (!std::strcmp(argv[1], "notify")) {
        measure("notify", op_notify, 1000, iterations, seconds);
    } else if (!std::strcmp(argv[1], "pingpong")) {
        std::thread t(answer);
        measure("pingpong", ping, 100, iterations, seconds);
        stopping.store(true);
        word.store(1);
        word.notify_one();
        t.join();
    } else {
        std::fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    return 0;
}
