/* Load latency by working-set size (a pointer chase over one random cycle of 64-byte lines), for reading the
 * prediction figures of docs/benchmarks.md (issue 6): which cache level holds a tree, a row block, the forest.
 *   gcc -O2 memory_latency.c -o memory_latency && ./memory_latency
 * Not part of the build or the tests. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(void)
{
    for (size_t kb = 16; kb <= 262144; kb *= 2) {
        size_t lines = kb * 1024 / 64;
        size_t *a = aligned_alloc(64, lines * 64);
        size_t *order = malloc(lines * sizeof(size_t));
        for (size_t i = 0; i < lines; i++) order[i] = i;
        srand(1);
        for (size_t i = lines - 1; i > 0; i--) {
            size_t j = ((size_t)rand() * RAND_MAX + (size_t)rand()) % (i + 1);
            size_t t = order[i]; order[i] = order[j]; order[j] = t;
        }
        for (size_t i = 0; i < lines; i++) a[order[i] * 8] = order[(i + 1) % lines] * 8;
        size_t p = 0;
        const long steps = 20000000;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long i = 0; i < steps; i++) p = a[p];
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / steps;
        printf("%8zu KB: %6.2f ns per load%s\n", kb, ns, p == (size_t)-1 ? " " : "");
        free(a);
        free(order);
    }
    return 0;
}
