/* libcsv_floor.c - the ceiling any libcsv-based reader can reach (issue 7).
 *
 * Reads a file in 256 KiB chunks (as src/reader.c does) and pushes every
 * chunk through libcsv's csv_parse, with one of these callback sets:
 *
 *   read        fread only, no parsing: the read cost
 *   noop        csv_init(0), no-op callbacks: libcsv's own state machine
 *               with its default options (it trims spaces: not usable as is)
 *   noop-opts   no-op callbacks, with the options the reader must use:
 *               CSV_APPEND_NULL | CSV_REPALL_NL and a space function that
 *               says "no byte is a space" (fields are not trimmed), which
 *               libcsv calls through a pointer for every byte of an
 *               unquoted field
 *   copy        noop-opts plus what the reader's callbacks must do at least:
 *               copy each field out of libcsv's buffer (it is reused for the
 *               next field) into one arena with a NUL, and record its
 *               (offset, length); a record ends the batch
 *
 * Prints bytes, wall and CPU seconds and MB/s (1 MB = 10^6 bytes; on the
 * shared machine CPU time is the steadier figure), fields and records.
 *
 *   cc -O2 -o build/libcsv_floor bench/libcsv_floor.c -lcsv
 *   build/libcsv_floor MODE FILE
 *   valgrind --tool=callgrind build/libcsv_floor MODE bench/data/slice-20.csv
 *
 * See bench/profile.md ("The libcsv floor") for the figures. */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHUNK (256 * 1024)

struct st {
    unsigned long fields, records;
    char *arena;
    size_t len, cap;
    size_t *refs;
    size_t nrefs, caprefs;
};

static void noop_field(void *s, size_t n, void *data)
{
    (void)s, (void)n;
    ((struct st *)data)->fields++;
}

static void noop_record(int c, void *data)
{
    (void)c;
    ((struct st *)data)->records++;
}

static void copy_field(void *s, size_t n, void *data)
{
    struct st *st = data;
    st->fields++;
    if (st->len + n + 1 > st->cap) {
        while (st->len + n + 1 > st->cap)
            st->cap = st->cap ? st->cap * 2 : 65536;
        st->arena = realloc(st->arena, st->cap);
    }
    if (st->nrefs + 2 > st->caprefs) {
        st->caprefs = st->caprefs ? st->caprefs * 2 : 1024;
        st->refs = realloc(st->refs, st->caprefs * sizeof *st->refs);
    }
    if (!st->arena || !st->refs) {
        fputs("out of memory\n", stderr);
        exit(2);
    }
    if (n)
        memcpy(st->arena + st->len, s, n);
    st->arena[st->len + n] = '\0';
    st->refs[st->nrefs++] = st->len;
    st->refs[st->nrefs++] = n;
    st->len += n + 1;
}

static void copy_record(int c, void *data)
{
    struct st *st = data;
    (void)c;
    st->records++;
    st->len = st->nrefs = 0; /* the record is handed out and dropped */
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: libcsv_floor read|noop|noop-opts|copy FILE\n", stderr);
        return 2;
    }
    const char *mode = argv[1];
    int m = !strcmp(mode, "read") ? 0 : !strcmp(mode, "noop") ? 1
          : !strcmp(mode, "noop-opts") ? 2 : !strcmp(mode, "copy") ? 3 : -1;
    if (m < 0) {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 2;
    }
    struct csv_parser p;
    if (csv_init(&p, m == 1 ? 0 : CSV_APPEND_NULL | CSV_REPALL_NL) != 0)
        return 2;
    if (m >= 2)
        csv_set_space_func(&p, no_space);
    void (*cb1)(void *, size_t, void *) = m == 3 ? copy_field : noop_field;
    void (*cb2)(int, void *) = m == 3 ? copy_record : noop_record;
    struct st st = {0};
    unsigned char *buf = malloc(CHUNK);
    unsigned long long total = 0;
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    size_t n;
    while ((n = fread(buf, 1, CHUNK, f)) > 0) {
        total += n;
        if (m == 0)
            continue;
        size_t have = csv_get_buffer_size(&p);
        csv_set_blk_size(&p, have > CHUNK ? have : CHUNK);
        if (csv_parse(&p, buf, n, cb1, cb2, &st) != n) {
            fprintf(stderr, "csv_parse: %s\n", csv_strerror(csv_error(&p)));
            return 1;
        }
    }
    if (m)
        csv_fini(&p, cb1, cb2, &st);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double s = (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    double cs = (double)(c1.tv_sec - c0.tv_sec) +
                (double)(c1.tv_nsec - c0.tv_nsec) / 1e9;
    printf("%-9s %llu bytes  wall %.3f s %.0f MB/s  cpu %.3f s %.0f MB/s  "
           "%lu fields %lu records\n", mode, total, s, (double)total / 1e6 / s,
           cs, (double)total / 1e6 / cs, st.fields, st.records);
    csv_free(&p);
    free(buf);
    free(st.arena);
    free(st.refs);
    fclose(f);
    return 0;
}
