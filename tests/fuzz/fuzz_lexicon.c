/* fuzz_lexicon.c - libFuzzer target for the lexicon loaders (lexicon.c for
 * plain *.txt lists, lexicon_csv.c for the CSV format) and the matcher
 * compiler. The first byte picks the format; the rest is the file, written
 * to a private temporary file because the loaders take a path. A lexicon
 * that loads is compiled into a matcher and run over a fixed comment. */
#include "lexicon.h"
#include "match.h"
#include "normalize.h"
#include "tokenize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static const char *tmp_path(int csv)
{
    static char path[2][96];
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/fuzz_lexicon_XXXXXX");
        if (!mkdtemp(dir))
            abort();
        snprintf(path[0], sizeof path[0], "%s/lex.txt", dir);
        snprintf(path[1], sizeof path[1], "%s/lex.csv", dir);
    }
    return path[csv];
}

static const char comment[] =
    "She is not bossy, but emotional at times; very hardworking and "
    "pleasant. Too assertive with the team? Aggressive fluid resuscitation "
    "was ordered. Dr. Smith said: over-emotional, never abrasive.";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *path = tmp_path(data[0] & 1);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1)
        abort();
    fclose(f);

    struct lexicon_set *set = lexicon_set_new();
    struct diag err;
    if (lexicon_set_load(set, path, &err) == 0) {
        matcher *m = matcher_new(set, &err);
        if (m) {
            struct normtext nt;
            struct tokens tok;
            struct hits hits;
            normtext_init(&nt);
            tokens_init(&tok);
            hits_init(&hits);
            normalize(&nt, comment, sizeof comment - 1);
            tokenize(&tok, nt.s, nt.len);
            if (matcher_find(m, nt.s, nt.len, &tok, &hits, &err) == 0)
                for (size_t i = 0; i < hits.n; i++)
                    if (hits.v[i].start >= hits.v[i].end ||
                        hits.v[i].end > nt.len ||
                        hits.v[i].entry >= set->nentries)
                        abort();
            hits_fini(&hits);
            tokens_fini(&tok);
            normtext_fini(&nt);
            matcher_free(m);
        }
    }
    lexicon_set_free(set);
    return 0;
}
