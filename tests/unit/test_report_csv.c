/* test_report_csv.c - the excerpts.csv row writer and the cell guard's
 * undoing (report_csv.c): rows against rows written out by hand (span_id
 * against snprintf, also for ids too long for the writer's stack buffer),
 * report_cell and report_cell_unguard_all against byte-by-byte
 * references on generated cells. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "report.h"

/* 0 once report_excerpts_row returned other than the bytes it wrote. */
static int row_len_ok = 1;

/* report_excerpts_row(r) as a string (static buffer). */
static const char *row_text(const struct excerpt_row *r)
{
    static char out[16384];
    FILE *f = tmpfile();
    if (!f)
        return "";
    size_t ret = report_excerpts_row(f, r);
    size_t n = (size_t)ftell(f);
    row_len_ok &= ret == n;
    rewind(f);
    if (n >= sizeof out)
        n = sizeof out - 1;
    out[fread(out, 1, n, f)] = '\0';
    fclose(f);
    return out;
}

/* The reference: undo the guard after every ; and TAB, a byte at a time
 * (the loop report_cell_unguard_all replaced). */
static size_t unguard_ref(char *s, size_t n)
{
    size_t drop = report_cell_unguard(s, n), o = 0;
    for (size_t i = drop; i < n; i++) {
        s[o++] = s[i];
        if ((s[i] == ';' || s[i] == '\t') && i + 1 < n && s[i + 1] == '\'' &&
            report_cell_guarded(s + i + 2, n - i - 2))
            i++;
    }
    if (o < n)
        s[o] = '\0';
    return o;
}

/* The reference cell writer: quoted when guarded or holding any of
 * , " CR LF ; TAB; a quote doubled, a guard after a guarded ; or TAB; a
 * byte at a time (the loop rb_cell's 16-byte scan replaced). */
static void cell_ref(FILE *f, const char *s, size_t n)
{
    int guard = report_cell_guarded(s, n), quote = guard;
    for (size_t i = 0; i < n; i++)
        quote |= strchr(",\"\n\r;\t", s[i]) != NULL && s[i] != '\0';
    if (!quote) {
        fwrite(s, 1, n, f);
        return;
    }
    fputc('"', f);
    if (guard)
        fputc('\'', f);
    for (size_t i = 0; i < n; i++) {
        fputc(s[i], f);
        if (s[i] == '"')
            fputc('"', f);
        else if ((s[i] == ';' || s[i] == '\t') &&
                 report_cell_guarded(s + i + 1, n - i - 1))
            fputc('\'', f);
    }
    fputc('"', f);
}

/* w(cell) as a string into out (room for 512). */
static size_t cell_text(void (*w)(FILE *, const char *, size_t),
                        const char *s, size_t n, char *out)
{
    FILE *f = tmpfile();
    if (!f)
        return 0;
    w(f, s, n);
    size_t len = (size_t)ftell(f);
    rewind(f);
    len = fread(out, 1, len < 511 ? len : 511, f);
    fclose(f);
    return len;
}

static uint32_t rng = 99;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

int main(void)
{
    struct excerpt_row r = {
        .evaluation_id = "E1", .resident = "Doe, Ann", .column = "Comments",
        .lexicon = "lex", .category = "traits", .term = "bossy",
        .matched_text = "BOSSY", .matched_len = 5, .negated = 1,
        .start = 12, .end = 17, .excerpt = "=She is \"BOSSY\";-x",
        .referent = NULL, .quoted = 0,
    };
    CHECK_STR(row_text(&r),
              "E1,\"Doe, Ann\",Comments,lex,traits,bossy,BOSSY,true,12,17,"
              "\"'=She is \"\"BOSSY\"\";'-x\",E1:Comments:12-17,,false\r\n",
              "row: quoting, guards, span_id, flags");

    r.evaluation_id = "-7";
    r.start = 0;
    r.end = 18446744073709551615u;
    r.referent = "other:patient";
    r.quoted = 1;
    r.negated = 0;
    r.excerpt = "x";
    CHECK_STR(row_text(&r),
              "\"'-7\",\"Doe, Ann\",Comments,lex,traits,bossy,BOSSY,false,0,"
              "18446744073709551615,x,\"'-7:Comments:0-18446744073709551615\","
              "other:patient,true\r\n",
              "row: guarded id and span_id, largest offsets, referent");

    /* An id too long for the stack buffer: span_id is still the whole
     * "ID:COLUMN:START-END". */
    char id[700], want[800];
    memset(id, 'k', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    r.evaluation_id = id;
    r.start = 3;
    r.end = 9;
    snprintf(want, sizeof want, ",%s:%s:%zu-%zu,other:patient,true\r\n", id,
             r.column, r.start, r.end);
    const char *got = row_text(&r);
    size_t gl = strlen(got), wl = strlen(want);
    CHECK(gl > wl && strcmp(got + gl - wl, want) == 0,
          "row: span_id of a long id");

    /* A row with its entry's cells made once is the row without them, for
     * generated lexicon, category and term cells (quotes, separators,
     * guards). */
    {
        static const char eb[] = "ab ,\";\t\n='+-@x";
        int eok = 1;
        for (int iter = 0; iter < 3000 && eok; iter++) {
            char c[3][24];
            for (int k = 0; k < 3; k++) {
                size_t n = rnd() % 20;
                for (size_t i = 0; i < n; i++)
                    c[k][i] = eb[rnd() % (sizeof eb - 1)];
                c[k][n] = '\0';
            }
            struct excerpt_row e = r;
            e.lexicon = c[0];
            e.category = c[1];
            e.term = c[2];
            static char plain[4096];
            snprintf(plain, sizeof plain, "%s", row_text(&e));
            size_t el = 0;
            char *cells = report_excerpts_entry_cells(c[0], c[1], c[2], &el);
            e.entry_cells = cells;
            e.entry_cells_len = el;
            eok &= cells && el == strlen(cells) &&
                   strcmp(row_text(&e), plain) == 0;
            free(cells);
        }
        CHECK(eok, "row: entry cells made once == written each row");
    }

    /* An excerpt longer than the writer's row buffer, quoted, with a
     * quote and a guard past its first 4 KiB: whole, and counted. */
    static char big[9000], bigwant[9100];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    big[10] = ',';
    big[5000] = '"';
    big[7000] = ';';
    big[7001] = '=';
    r.excerpt = big;
    size_t bw = 0;
    bigwant[bw++] = ',';
    bigwant[bw++] = '"';
    for (size_t i = 0; i < sizeof big - 1; i++) {
        bigwant[bw++] = big[i];
        if (big[i] == '"')
            bigwant[bw++] = '"';
        if (i == 7000)
            bigwant[bw++] = '\'';
    }
    bigwant[bw++] = '"';
    bigwant[bw++] = ',';
    bigwant[bw] = '\0';
    got = row_text(&r);
    CHECK(strstr(got, bigwant) != NULL, "row: an excerpt longer than 4 KiB");
    CHECK(row_len_ok, "report_excerpts_row returns the bytes it wrote");

    /* report_cell_unguard_all == the reference on generated cells: runs of
     * ; TAB ' and the guarded starts = + - @, NUL included. */
    static const char bytes[] = "ab;\t''=+-@ \r\"x";
    int ok = 1;
    size_t changed = 0;
    for (int iter = 0; iter < 20000; iter++) {
        char a[80], b[80];
        size_t n = rnd() % 70;
        for (size_t i = 0; i < n; i++)
            a[i] = bytes[rnd() % sizeof bytes];   /* (the NUL too) */
        a[n] = '\0';
        memcpy(b, a, n + 1);
        size_t na = report_cell_unguard_all(a, n), nb = unguard_ref(b, n);
        ok &= na == nb && memcmp(a, b, n + 1) == 0;
        changed += na != n;
    }
    CHECK(ok, "unguard_all == byte-by-byte reference on generated cells");
    CHECK(changed > 1000, "generated cells do carry guards");
    /* report_cell == the reference on generated cells of 0..100 bytes
     * (every special byte at every place of a 16-byte block), mostly
     * plain ones. */
    static const char cb[] = "abcdefgh ;\t,\"\n\r'=+-@x";
    int cok = 1;
    size_t quoted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        char a[128], o1[512], o2[512];
        size_t n = rnd() % 101;
        int plain = rnd() % 2;
        for (size_t i = 0; i < n; i++)
            a[i] = plain && rnd() % 16 ? 'a' + (char)(rnd() % 8)
                                       : cb[rnd() % (sizeof cb - 1)];
        a[n] = '\0';
        size_t l1 = cell_text(report_cell, a, n, o1),
               l2 = cell_text(cell_ref, a, n, o2);
        cok &= l1 == l2 && memcmp(o1, o2, l1) == 0;
        quoted += l1 > 0 && o1[0] == '"';
    }
    CHECK(cok, "report_cell == byte-by-byte reference on generated cells");
    CHECK(quoted > 2000 && quoted < 19000, "generated cells quoted and not");
    char c1[] = "plain text, no separator";
    CHECK(report_cell_unguard_all(c1, strlen(c1)) == strlen(c1) &&
              strcmp(c1, "plain text, no separator") == 0,
          "unguard_all: a cell with no separator is unchanged");
    char c2[] = "'=a;'+b\t'@c;'d";
    size_t n2 = report_cell_unguard_all(c2, strlen(c2));
    CHECK(n2 == 11 && strcmp(c2, "=a;+b\t@c;'d") == 0,
          "unguard_all: guards after ; and TAB dropped, a real ' kept");
    return check_done();
}
