/* fuzz_match.c - libFuzzer target for the matcher (match.c) over a fixed
 * lexicon set that exercises every entry kind: words, phrases, stems, PCRE2
 * patterns, guards. The input is one comment field (made valid, NUL-free
 * UTF-8 as the reader would); it is normalized, tokenized and matched, and
 * every hit must lie inside the text, not overlap the previous one, and
 * map back to the original through the excerpt code. */
#include "excerpt.h"
#include "lexicon.h"
#include "match.h"
#include "normalize.h"
#include "reader.h"
#include "tokenize.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char lexicon_csv[] =
    "type,category,term,value\n"
    "lexicon,,name,fuzz\n"
    "lexicon,,version,1\n"
    "category,personality,description,x\n"
    "entry,personality,bossy,\n"
    "entry,personality,emotional,\n"
    "guard_after,personality,emotional,support\n"
    "entry,personality,too assertive,\n"
    "entry,personality,assertive,\n"
    "entry,personality,emotion*,\n"
    "entry,personality,lacks confidence,\n"
    "entry,personality,over-emotional,\n"
    "category,standout,description,y\n"
    "entry,standout,hardworking,\n"
    "entry,standout,pleasant,\n"
    "entry,standout,/\\bwarm(?:th|ly)?\\b/,\n"
    "entry,standout,\"/(a|e|i)+[a-z]{2,}(s|ly)$/\",\n"
    "entry,standout,warm,\n"
    "guard_after,standout,warm,compresses\n"
    "entry,standout,aggressive,\n"
    "guard_after,standout,aggressive,fluid\n";

static struct lexicon_set *set;
static matcher *m;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    char dir[] = "/tmp/fuzz_match_XXXXXX";
    if (!mkdtemp(dir))
        abort();
    char path[64];
    snprintf(path, sizeof path, "%s/fuzz.csv", dir);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(lexicon_csv, 1, sizeof lexicon_csv - 1, f) !=
                  sizeof lexicon_csv - 1)
        abort();
    fclose(f);
    struct diag err;
    set = lexicon_set_new();
    if (lexicon_set_load(set, path, &err) != 0) {
        fprintf(stderr, "fuzz_match: lexicon: %s\n", err.msg);
        abort();
    }
    m = matcher_new(set, &err);
    if (!m) {
        fprintf(stderr, "fuzz_match: matcher: %s\n", err.msg);
        abort();
    }
    remove(path);
    rmdir(dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct buf in = {0};
    const char *s = (const char *)data;
    if (reader_utf8_invalid_at(s, size) != size || memchr(s, 0, size)) {
        for (size_t i = 0; i < size; i++)
            buf_append(&in, data[i] && data[i] < 0x80 ? s + i : "?", 1);
    } else {
        buf_append(&in, s, size);
    }
    const char *t = in.p ? in.p : "";
    size_t n = in.len;

    struct normtext nt;
    struct tokens tok;
    struct hits hits;
    struct diag err;
    normtext_init(&nt);
    tokens_init(&tok);
    hits_init(&hits);
    normalize(&nt, t, n);
    tokenize(&tok, nt.s, nt.len);
    if (matcher_find(m, nt.s, nt.len, &tok, &hits, &err) == 0) {
        struct excerpt ex;
        struct excerpt_cursor cur;
        excerpt_init(&ex);
        excerpt_cursor_reset(&cur);
        for (size_t i = 0; i < hits.n; i++) {
            const struct hit *h = &hits.v[i];
            if (h->start >= h->end || h->end > nt.len ||
                h->entry >= set->nentries)
                abort();
            if (i && h->start < hits.v[i - 1].end)
                abort();
            excerpt_make(&ex, &cur, t, n, &nt, h->start, h->end);
            if (ex.byte_start > ex.byte_end || ex.byte_end > n)
                abort();
        }
        excerpt_fini(&ex);
    }
    hits_fini(&hits);
    tokens_fini(&tok);
    normtext_fini(&nt);
    buf_fini(&in);
    return 0;
}
