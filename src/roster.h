/* roster.h - resident attributes joined from a roster.
 *
 * Gender often lives in the program's roster ("Resident ID,Name,Gender,
 * PGY"), not in the evaluation export. A roster is read through the reader
 * (reader.h: CSV in any encoding it reads, and whatever else it learns to
 * read), any header; one column is the key (--roster-key) matched against
 * the export's --resident values, and each --roster-cohort ROSTER_COL[=NAME]
 * becomes a cohort column named NAME (default: its roster header).
 *
 * Keys match trimmed, with runs of white space as one space, ASCII
 * case-insensitive, and "Last, First" the same as "First Last" (both sides
 * are brought to "first last" before they are compared).
 *
 * A key listed twice with the same values is one resident; with different
 * values, roster_load fails naming both rows and the column. Rows with a
 * blank key are ignored (counted).
 *
 * Ownership: roster_load returns a roster the caller frees with
 * roster_free; strings returned are owned by the roster. No printing. */
#ifndef EVALBIAS_ROSTER_H
#define EVALBIAS_ROSTER_H

#include <stddef.h>

#include "diag.h"
#include "reader.h"

struct roster_options {
    const char *path;
    const char *sheet;                 /* --roster-sheet (a workbook roster's
                                          sheet), or NULL: the first */
    const char *key;                   /* --roster-key: a roster column */
    const char *const *cohort;         /* --roster-cohort values */
    size_t ncohort;
    struct reader_options ropt;        /* the export's: encoding, limits;
                                          sheet, header row and delimiter
                                          are the roster's own (detected) */
};

typedef struct roster roster;

/* NULL with err filled ("file:row:col: ..."): a missing file, a key or
 * cohort column the header lacks (with a "did you mean"), duplicate keys
 * with different values, a --roster-sheet the workbook lacks. */
roster *roster_load(const struct roster_options *o, struct diag *err);
void roster_free(roster *r);

/* A key as the roster compares it ("Mensah,  Jessica " -> "jessica
 * mensah"), into out (cleared first): `evalbias init` guesses the key
 * column with it. */
struct buf;
void roster_norm_key(struct buf *out, const char *s, size_t n);

size_t roster_ncohorts(const roster *r);
const char *roster_cohort_name(const roster *r, size_t i);   /* NAME */
const char *roster_cohort_column(const roster *r, size_t i); /* its header */
size_t roster_nrows(const roster *r);      /* distinct residents */
const char *roster_sha256(const roster *r);

/* The roster resident of an export's resident name (len bytes), or -1.
 * Marks the resident as seen in the export. */
long roster_find(roster *r, const char *name, size_t len);
/* Resident k's value of cohort i ("" when blank). */
const char *roster_value(const roster *r, long k, size_t i);
/* Residents of the roster that roster_find never returned. */
size_t roster_nunseen(const roster *r);

#endif
