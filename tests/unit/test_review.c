/* test_review.c - the blinded review packet: name masking, the
 * reproducible shuffle, and the three files from a hand-made run. */
#include "check.h"
#include "excerpt_file.h"
#include "report.h"
#include "review.h"
#include "tally.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *mask(const review_masker *m, const char *s)
{
    struct buf b;
    buf_init(&b);
    review_mask(m, s, strlen(s), &b);
    char *r = xstrdup(buf_cstr(&b));
    buf_fini(&b);
    return r;
}

#define CHECK_MASK(m, in, want, descr)                                      \
    do {                                                                    \
        char *got_ = mask(m, in);                                           \
        CHECK_STR(got_, want, descr);                                       \
        free(got_);                                                         \
    } while (0)

static void test_mask(void)
{
    review_masker *m = review_masker_new();
    review_masker_add(m, "Mensah, Jessica", "[resident]");
    review_masker_add(m, "O'Brien, Zo\xC3\xAB J.", "[resident]");
    review_masker_add(m, "Adeyemi-Okafor, Kemi", "[resident]");
    review_masker_add(m, "Tanaka, Amara MD", "[evaluator]");
    review_masker_add(m, "Jessica Park", "[name]"); /* Jessica stays resident */
    CHECK_MASK(m, "Jessica is pleasant.", "[resident] is pleasant.", "first name");
    CHECK_MASK(m, "Dr. MENSAH's notes", "Dr. [resident]'s notes",
               "surname, any case, possessive; the title stays");
    CHECK_MASK(m, "Dr.\xC2\xA0Mensah", "Dr.\xC2\xA0[resident]", "after a no-break space");
    CHECK_MASK(m, "Jessica\xE2\x80\x99s plan", "[resident]\xE2\x80\x99s plan",
               "before a curly apostrophe");
    CHECK_MASK(m, "Dr. O'Brien and Dr. O\xE2\x80\x99" "Brien", "Dr. [resident] and Dr. [resident]",
               "O'Brien with either apostrophe");
    CHECK_MASK(m, "Dr. OBrien and Dr. obrien", "Dr. [resident] and Dr. [resident]",
               "O'Brien with the apostrophe left out");
    CHECK_MASK(m, "Zo\xC3\xAB was", "[resident] was", "non-ASCII name");
    CHECK_MASK(m, "ZO\xC3\x8B was", "[resident] was", "upper-case non-ASCII name");
    CHECK_MASK(m, "Zoe\xCC\x88 was", "[resident] was", "decomposed diaeresis (NFC)");
    CHECK_MASK(m, "Zoe was", "[resident] was", "without the accent");
    CHECK_MASK(m, "\xEF\xBC\xAA\xEF\xBD\x85\xEF\xBD\x93\xEF\xBD\x93\xEF\xBD\x89"
                  "\xEF\xBD\x83\xEF\xBD\x81 was", "[resident] was",
               "full-width (NFKC)");
    CHECK_MASK(m, "Jes\xE2\x80\x8Bsica was", "[resident] was",
               "a zero-width space inside the name");
    CHECK_MASK(m, "Jes\xC2\xADsica and Jes\xE2\x80\x8Dsica", "[resident] and [resident]",
               "soft hyphen, zero-width joiner (default ignorables)");
    CHECK_MASK(m, "Mensah, Jessica said", "[resident], [resident] said",
               "Last, First");
    CHECK_MASK(m, "Jessica Mensah said", "[resident] said",
               "First Last: one label");
    CHECK_MASK(m, "Kemi Adeyemi-Okafor and Adeyemi\xE2\x80\x90Okafor and AdeyemiOkafor",
               "[resident] and [resident] and [resident]",
               "hyphenated, with U+2010, and joined");
    CHECK_MASK(m, "Okafor alone", "[resident] alone", "one part of a hyphenated name");
    CHECK_MASK(m, "mail jessica.mensah@hospital.org or JMENSAH@x.org",
               "mail [resident]@hospital.org or [resident]@x.org",
               "e-mail local parts (dotted, initial+surname, upper case)");
    CHECK_MASK(m, "mail amara_t@x.org; nobody@x.org",
               "mail [evaluator]@x.org; nobody@x.org",
               "an evaluator's e-mail; an unrelated address stays");
    CHECK_MASK(m, "per Amara Tanaka, MD", "per [evaluator], MD",
               "evaluator masked; MD is a title, not a name");
    CHECK_MASK(m, "Park and J. Smith", "[name] and J. Smith",
               "--names word masked; an initial alone is not a name");
    CHECK_MASK(m, "Jessicas and Tanakaya", "Jessicas and Tanakaya",
               "whole words only");
    CHECK_MASK(m, "<script>Jessica</script>", "<script>[resident]</script>",
               "markup is left to the HTML writer to escape");
    /* Gendered words outside the span. */
    CHECK_MASK(m, "She said he gave her his notes; hers were late. He himself, "
                  "she herself, him.",
               "[they] said [they] gave [them/their] [their] notes; [theirs] were "
               "late. [they] [themself], [they] [themself], [them].",
               "pronouns, any case");
    CHECK_MASK(m, "Mr. Lee, Mrs Lee, Ms. Lee, Miss Lee and ma'am",
               "[title]. Lee, [title] Lee, [title]. Lee, [title] Lee and [title]",
               "honorifics");
    CHECK_MASK(m, "her husband, his wife, a son and daughter, mother of two, "
                  "her father, WIVES",
               "[them/their] [partner], [their] [partner], a [child] and [child], "
               "[parent] of two, [them/their] [parent], [partners]",
               "kin terms");
    CHECK_MASK(m, "the shepherd hesitated; Hermione; these; mystery",
               "the shepherd hesitated; Hermione; these; mystery",
               "whole words only: no 'he' in 'shepherd', no 'her' in 'Hermione'");
    CHECK_MASK(m, "\xEF\xBC\xB3\xEF\xBD\x88\xEF\xBD\x85 is", "[they] is",
               "a full-width pronoun");
    struct buf b;
    buf_init(&b);
    review_mask_ex(m, "her husband Jessica", 19, REVIEW_MASK_NAMES_ONLY, &b);
    CHECK_STR(buf_cstr(&b), "her husband [resident]",
              "in the span: names masked, gendered words kept");
    CHECK(review_is_gendered(m, "her husband", 11), "a gendered span");
    CHECK(!review_is_gendered(m, "bossy", 5), "a span that is not");
    review_masker_gendered(m, 0);
    buf_clear(&b);
    review_mask(m, "She met Jessica", 15, &b);
    CHECK_STR(buf_cstr(&b), "She met [resident]", "--keep-gendered");
    buf_fini(&b);
    review_masker_free(m);
}

static void test_shuffle(void)
{
    size_t a[50], b[50], c[50];
    review_shuffle(a, 50, 7);
    review_shuffle(b, 50, 7);
    review_shuffle(c, 50, 8);
    CHECK(memcmp(a, b, sizeof a) == 0, "same seed, same order");
    CHECK(memcmp(a, c, sizeof a) != 0, "another seed, another order");
    int seen[50] = {0}, ok = 1, moved = 0;
    for (size_t i = 0; i < 50; i++) {
        ok &= a[i] < 50 && !seen[a[i]];
        seen[a[i] < 50 ? a[i] : 0] = 1;
        moved += a[i] != i;
    }
    CHECK(ok, "a permutation");
    CHECK(moved > 25, "most rows move");
    /* Pinned: the order must not change between versions or machines. */
    size_t d[5];
    review_shuffle(d, 5, 20240601u);
    char got[32];
    snprintf(got, sizeof got, "%zu%zu%zu%zu%zu", d[0], d[1], d[2], d[3], d[4]);
    printf("# default-seed order of 5: %s\n", got);
    CHECK_STR(got, "12034", "default seed: the order is pinned");
    size_t e[1];
    review_shuffle(e, 0, 1);
    review_shuffle(e, 1, 1);
    CHECK(e[0] == 0, "0 and 1 rows");
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return xstrdup("");
    struct buf b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(&b, chunk, n);
    fclose(f);
    char *s = xstrdup(buf_cstr(&b));
    buf_fini(&b);
    return s;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_packet(const char *dir)
{
    char path[300];
    snprintf(path, sizeof path, "%s/excerpts.csv", dir);
    FILE *f = fopen(path, "wb");
    report_excerpts_begin(f);
    excerpt_index *xi = excerpt_index_new(EXCERPT_INDEX_CAP, 1, 0);
    for (int i = 0; i < 12; i++) {
        char id[16], ex[200];
        snprintf(id, sizeof id, "EV%02d", i);
        snprintf(ex, sizeof ex, "Dr. Mensah %d is bossy <script>alert(1)</script>, "
                 "said Amara.", i);
        struct excerpt_row r = {id, "Mensah, Jessica", "Strengths", "lex",
                                "traits", "bossy", "bossy", 5, i % 2, 0, 0, ex,
                                NULL};
        excerpt_index_add(xi, f, 0, 16, 21, NULL);
        report_excerpts_row(f, &r);
    }
    fclose(f);
    uint32_t ecat[] = {0};
    tally *t = tally_new(1, 1, ecat, 1);
    struct tally_hit h = {0, 0};
    struct tally_eval ev = {(const char *const[]){"Female"}, "Mensah, Jessica", 10, &h, 1};
    tally_add(t, &ev);
    tally_finish(t);
    struct run_info ri;
    memset(&ri, 0, sizeof ri);
    ri.resident_col = "Resident";
    struct review_options o;
    review_options_init(&o);
    o.enabled = 1;
    o.seed = 7;
    o.seed_set = 1;
    char keypath[300];
    snprintf(keypath, sizeof keypath, "%s/review-key.csv", dir);
    o.key_path = keypath;
    review_add_evaluator(&o, "Tanaka, Amara", 13);
    review_add_evaluator(&o, "Tanaka, Amara", 13);
    review_add_evaluator(&o, "  ", 2);
    CHECK_INT(o.evaluators.n, 1, "evaluators: distinct, blanks ignored");
    struct diag err = {0};
    CHECK(review_write(&o, t, &ri, dir, path, xi, &err) == 0, "review_write");
    snprintf(path, sizeof path, "%s/review/review.csv", dir);
    char *csv = slurp(path);
    snprintf(path, sizeof path, "%s/review/review.html", dir);
    char *html = slurp(path);
    snprintf(path, sizeof path, "%s/review-key.csv", dir);
    char *key = slurp(path);
    CHECK(strstr(html, "is <mark>bossy</mark> &lt;script&gt;"), "the match marked");
    CHECK(!strstr(html, "id=\"cap\""), "under the cap: no note");
    CHECK(strncmp(csv, "packet_id,reviewer,item_id,column,negated,blinding,"
                       "flagged_text,excerpt,verdict,comment\r\n", 87) == 0,
          "review.csv header (no categories by default)");
    CHECK(!strstr(csv, "traits") && !strstr(html, "traits"),
          "categories hidden by default");
    CHECK_INT(count(csv, "\r\n"), 13, "review.csv: header and 12 rows");
    CHECK_INT(count(csv, ",,\r\n"), 12, "judgement and comment empty");
    CHECK(!strstr(csv, "Mensah") && !strstr(csv, "Amara") && !strstr(csv, "EV0") &&
          !strstr(csv, "Female"), "review.csv: no names, ids or cohort");
    CHECK(strstr(csv, "Dr. [resident] 3 is bossy") && strstr(csv, "said [evaluator]."),
          "names masked");
    CHECK_INT(count(html, "<li class=\"rv\""), 12, "review.html: 12 excerpts");
    CHECK(!strstr(html, "Mensah") && !strstr(html, "EV0") && !strstr(html, "Female"),
          "review.html: no names, ids or cohort");
    CHECK(!strstr(html, "<script>alert") && strstr(html, "&lt;script&gt;alert(1)"),
          "review.html: hostile text escaped");
    CHECK_INT(count(html, "type=\"radio\""), 36, "three judgement choices each");
    CHECK(strstr(key, "E00001,EV") && strstr(key, "Mensah"), "the key joins ids back");
    CHECK(strstr(csv, ",R1,E00001,") && strstr(csv, ",R1,E00012,") &&
          !strstr(csv, "E00013"), "opaque ids E00001..E00012");
    CHECK(!strstr(html, "seed") && !strstr(csv, ",7\r\n"),
          "the seed is not in the packet");
    CHECK(strstr(key, ",7,") != NULL, "the seed is in the key");
    {
        char pid[17];
        memcpy(pid, strchr(csv, '\n') + 1, 16);
        pid[16] = '\0';
        CHECK(strlen(pid) == 16 && strspn(pid, "0123456789abcdef") == 16 &&
              strstr(html, pid) && strstr(key, pid), "a packet id in csv, page and key");
    }
    /* Same seed, same packet; another seed, another order. */
    char *again;
    snprintf(path, sizeof path, "%s/excerpts.csv", dir);
    review_write(&o, t, &ri, dir, path, xi, &err);
    snprintf(path, sizeof path, "%s/review/review.csv", dir);
    again = slurp(path);
    CHECK(strcmp(csv, again) == 0, "reproducible");
    free(again);
    o.seed = 99;
    snprintf(path, sizeof path, "%s/excerpts.csv", dir);
    review_write(&o, t, &ri, dir, path, xi, &err);
    snprintf(path, sizeof path, "%s/review/review.csv", dir);
    again = slurp(path);
    CHECK(strcmp(csv, again) != 0, "--seed changes the order");
    free(again);
    /* Three reviewers, a quarter shared: 3 items in every packet, the
     * other 9 three to each; an item keeps its id in every packet. */
    o.reviewers = 3;
    o.overlap = 0.25;
    snprintf(path, sizeof path, "%s/excerpts.csv", dir);
    CHECK(review_write(&o, t, &ri, dir, path, xi, &err) == 0, "three packets");
    char *pc[3];
    int seen[13] = {0};
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/review/R%d/review.csv", dir, k + 1);
        pc[k] = slurp(path);
        CHECK_INT(count(pc[k], "\r\n"), 7, "each packet: header and 6 items");
        for (int i = 1; i <= 12; i++) {
            char idc[32];
            snprintf(idc, sizeof idc, ",R%d,E%05d,", k + 1, i);
            seen[i] += strstr(pc[k], idc) != NULL;
        }
    }
    int shared = 0, once = 0;
    for (int i = 1; i <= 12; i++) {
        shared += seen[i] == 3;
        once += seen[i] == 1;
    }
    CHECK(shared == 3 && once == 9, "3 items shared by all, 9 in exactly one");
    CHECK(strncmp(pc[0] + 89, pc[1] + 89, 16) != 0, "packets have their own ids");
    for (int k = 0; k < 3; k++)
        free(pc[k]);
    o.reviewers = 1;
    /* The key may not be inside the packet folder. */
    char bad[320];
    snprintf(bad, sizeof bad, "%s/review/key.csv", dir);
    o.key_path = bad;
    CHECK(review_check(&o, dir, &err) < 0 && strstr(err.msg, "must not be inside"),
          "a key inside OUT/review/ is refused");
    snprintf(bad, sizeof bad, "%s/./review/../review/R1/key.csv", dir);
    CHECK(review_check(&o, dir, &err) < 0, "also spelled another way");
    o.key_path = NULL;
    CHECK(review_check(&o, dir, &err) < 0 && strstr(err.msg, "--review-key"),
          "no key: refused");
    o.key_path = keypath;
    CHECK(review_check(&o, dir, &err) == 0, "a key beside the packet folder is fine");
    free(csv);
    free(html);
    free(key);
    excerpt_index_free(xi);

    /* Over the cap: the packet holds the index's rows and says so. */
    snprintf(path, sizeof path, "%s/excerpts.csv", dir);
    f = fopen(path, "wb");
    report_excerpts_begin(f);
    xi = excerpt_index_new(5, 1, 0);
    for (int i = 0; i < 12; i++) {
        char id[16];
        snprintf(id, sizeof id, "EV%02d", i);
        struct excerpt_row r = {id, "Mensah, Jessica", "Strengths", "lex",
                                "traits", "bossy", "bossy", 5, 0, 0, 5,
                                "bossy today", NULL};
        excerpt_index_add(xi, f, 0, 0, 5, NULL);
        report_excerpts_row(f, &r);
    }
    fclose(f);
    CHECK(review_write(&o, t, &ri, dir, path, xi, &err) == 0, "capped review_write");
    snprintf(path, sizeof path, "%s/review/review.csv", dir);
    csv = slurp(path);
    snprintf(path, sizeof path, "%s/review/review.html", dir);
    html = slurp(path);
    CHECK_INT(count(csv, "\r\n"), 6, "review.csv: header and the 5 kept rows");
    CHECK_INT(count(html, "<li class=\"rv\""), 5, "review.html: 5 excerpts");
    CHECK(strstr(html, "5 of 12 excerpts."),
          "review.html says it holds 5 of 12");
    free(csv);
    free(html);
    excerpt_index_free(xi);

    /* The packet's own cap (max_excerpts), below the index's: the first
     * rows of each term, the rare term's one row kept. Rows EV00..EV09 are
     * term 0; the last, EV10, term 1. */
    snprintf(path, sizeof path, "%s/excerpts.csv", dir);
    f = fopen(path, "wb");
    report_excerpts_begin(f);
    xi = excerpt_index_new(EXCERPT_INDEX_CAP, 2, 0);
    for (int i = 0; i < 11; i++) {
        char id[16];
        snprintf(id, sizeof id, "EV%02d", i);
        struct excerpt_row r = {id, "Mensah, Jessica", "Strengths", "lex",
                                "traits", i < 10 ? "bossy" : "shrill",
                                i < 10 ? "bossy" : "shrill", i < 10 ? 5 : 6,
                                0, 0, 5, i < 10 ? "bossy today" : "shrill today",
                                NULL};
        excerpt_index_add(xi, f, i < 10 ? 0 : 1, 0, i < 10 ? 5 : 6, NULL);
        report_excerpts_row(f, &r);
    }
    fclose(f);
    o.max_excerpts = 4;
    CHECK(review_write(&o, t, &ri, dir, path, xi, &err) == 0,
          "review_write under max_excerpts");
    snprintf(path, sizeof path, "%s/review-key.csv", dir);
    key = slurp(path);
    snprintf(path, sizeof path, "%s/review/review.html", dir);
    html = slurp(path);
    CHECK_INT(count(html, "<li class=\"rv\""), 4, "review.html: 4 excerpts");
    CHECK(strstr(key, ",EV00,") && strstr(key, ",EV01,") && strstr(key, ",EV02,") &&
          strstr(key, ",EV10,") && !strstr(key, ",EV03,"),
          "the first 3 of the common term and the rare term's one");
    CHECK(strstr(html, "4 of 11 excerpts."),
          "review.html says it holds 4 of 11");
    free(key);
    free(html);
    excerpt_index_free(xi);

    /* One span, one item: two lexicons matched "bossy" in EV00 (rows with
     * the same span_id), one matched it in EV01. */
    snprintf(path, sizeof path, "%s/excerpts.csv", dir);
    f = fopen(path, "wb");
    report_excerpts_begin(f);
    xi = excerpt_index_new(EXCERPT_INDEX_CAP, 2, 0);
    const char *ids[] = {"EV00", "EV00", "EV01"};
    const char *lexs[] = {"lexA", "lexB", "lexA"};
    for (int i = 0; i < 3; i++) {
        struct excerpt_row r = {ids[i], "Mensah, Jessica", "Strengths",
                                lexs[i], i == 1 ? "catB" : "catA",
                                i == 1 ? "boss*" : "bossy", "bossy", 5, 0, 0,
                                5, "bossy today", NULL};
        excerpt_index_add(xi, f, i == 1 ? 1 : 0, 0, 5, NULL);
        report_excerpts_row(f, &r);
    }
    fclose(f);
    o.max_excerpts = REVIEW_MAX_EXCERPTS;
    o.show_categories = 1;
    CHECK(review_write(&o, t, &ri, dir, path, xi, &err) == 0,
          "review_write with a shared span");
    snprintf(path, sizeof path, "%s/review/review.csv", dir);
    char *rcsv = slurp(path);
    snprintf(path, sizeof path, "%s/review-key.csv", dir);
    key = slurp(path);
    snprintf(path, sizeof path, "%s/review/review.html", dir);
    html = slurp(path);
    CHECK_INT(count(html, "<li class=\"rv\""), 2, "one item per span");
    CHECK_INT(count(rcsv, "\r\n"), 3, "review.csv: header and 2 items");
    /* cells holding ';' are quoted (a ';'-locale spreadsheet splits them) */
    CHECK(strstr(rcsv, ",\"lexA; lexB\",\"catA; catB\",\"bossy; boss*\",") != NULL,
          "the shared span lists both lexicons, categories and terms");
    CHECK(strstr(key, ",EV00:Strengths:0-5,blinded,") != NULL,
          "the key carries the span_id");
    CHECK(strstr(html, "<bdi>lexA; lexB</bdi> / <bdi>catA; catB</bdi> &middot; "
                       "term &ldquo;<bdi>bossy; boss*</bdi>&rdquo;") != NULL,
          "--show-categories: review.html names every category of the span");
    free(rcsv);
    free(key);
    free(html);
    excerpt_index_free(xi);
    review_options_fini(&o);
    tally_free(t);
}

static void test_names_file(const char *dir)
{
    char path[300];
    snprintf(path, sizeof path, "%s/names.txt", dir);
    FILE *f = fopen(path, "wb");
    fputs("\xEF\xBB\xBF# people named in comments\nRiver Song\r\n\n  Pat Quill\n", f);
    fclose(f);
    struct review_options o;
    review_options_init(&o);
    struct diag err = {0};
    CHECK(review_load_names(&o, path, &err) == 0, "names file loads");
    CHECK_INT(o.names.n, 2, "comment and blank lines skipped");
    CHECK(o.names.n == 2 && strcmp(o.names.v[0], "River Song") == 0 &&
          strcmp(o.names.v[1], "Pat Quill") == 0, "BOM, CR and indentation removed");
    CHECK(review_load_names(&o, "/nonexistent/names", &err) < 0, "missing file is an error");
    review_options_fini(&o);
}

int main(void)
{
    char dir[] = "/tmp/evalbias-test-review-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    test_mask();
    test_shuffle();
    test_packet(dir);
    test_names_file(dir);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 2;
    return check_done();
}
