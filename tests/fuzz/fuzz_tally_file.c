/* fuzz_tally_file.c - libFuzzer target for the tally file reader
 * (tally_file.c). The input is the body of a tally file; the target appends
 * the correct "end" line (the SHA-256 of the body), so the fuzzer gets past
 * the integrity check and exercises the record parser. A file that reads is
 * merged into a fresh tally, finished, and written back out. */
#include "sha256.h"
#include "tally.h"
#include "tally_file.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) {
        snprintf(path, sizeof path, "/tmp/fuzz_tally_XXXXXX");
        int fd = mkstemp(path);
        if (fd < 0)
            abort();
        close(fd);
    }
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(data, size, hex);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size && fwrite(data, 1, size, f) != size)
        abort();
    fprintf(f, "end\t%s\n", hex);
    fclose(f);

    struct tally_part p;
    struct diag err;
    if (tally_file_read(path, &p, &err) < 0)
        return 0;
    size_t ne = p.set->nentries;
    uint32_t *cat = malloc((ne ? ne : 1) * sizeof *cat);
    for (size_t e = 0; e < ne; e++)
        cat[e] = p.set->entries[e].category;
    tally *t = tally_new(p.cols.n, ne, cat, p.set->ncategories);
    free(cat);
    if (tally_merge(t, p.t, "p1:") < 0)
        abort(); /* same shape by construction */
    tally_finish(t);
    FILE *out = fopen("/dev/null", "wb");
    struct tally_file_meta meta = {&p.ri, p.set, &p.cols, p.clusters, NULL};
    tally_file_write(out, t, &meta, &err);
    fclose(out);
    tally_free(t);
    tally_part_fini(&p);
    return 0;
}
