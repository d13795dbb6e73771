/* tally_file.h - the tally of one shard as a file: written by
 * `evalbias audit --tally-only`, read and added up by `evalbias merge`.
 *
 * Tallies are additive (tally.h): every count is a sum over evaluations, so
 * the tallies of the parts of an export, added, are exactly the tally of
 * the whole, and merge writes the same rates.csv and comparisons.csv as one
 * run over it. A tally file holds counts, never text from the comments: a
 * program in a multi-institution study shares it instead of its
 * evaluations (with --id-key, residents appear only as keyed pseudonyms,
 * pseudonym.h). It still holds cohort labels and per-resident counts of
 * small cohorts (suppression happens when results are written), so it is
 * as confidential as the rates of a run without suppression.
 *
 * ------------------------------------------------------------ formats
 *
 * Format 2 added the category label record. Format 3 (issue 16) adds
 * OTHER_REFERENT and QUOTED - hits kept apart as describing someone else or
 * as quoted/reported speech (referent.h) - at the end of totals,
 * cohort_item and cell_item. Format 4 (issue 14) adds the units, level and
 * person records (marked below); format 5 the period record (--period);
 * format 6 (issue 17) the evaluator column, --adjust and stratum columns
 * and the fine cells (tally.h: per resident, evaluator and covariate
 * stratum), which evaluator clustering, --cluster both and --adjust need.
 * Format 7 (issues 17, 18) writes clusters "none" without a resident
 * column: each cohort has one cell, resident "" (tally_no_residents), not
 * one per evaluation; a reader takes an older file's "evaluation" and
 * "row" clusters as none, collapsing their cells.
 * Older formats are still read: what they lack is read as none (no hits
 * kept apart; no per-person labels, so their persons keep the cohorts they
 * have; evaluations = rows analysed; no fine cells, so a merge with such a
 * part compares no evaluator-level column and adjusts nothing); merge says
 * so when it mixes formats.
 *
 * UTF-8 text, LF line ends, one record per line, fields separated by one
 * TAB; the first field names the record. Strings escape backslash, TAB, LF
 * and CR as \\ \t \n \r and other control bytes as \xHH; numbers are
 * unsigned decimal integers (no floating point anywhere: a round trip is
 * exact). The same tally gives a byte-identical file (the arguments and
 * times are in the part's manifest.json, not here). Records, in order
 * (* = repeated, ? = optional):
 *
 *   evalbias-tally  7                          format and version; first line
 *   tool            evalbias  VERSION          the writer
 *   clusters        resident|none              what a cell's resident is: the
 *                                              resident column; none: no
 *                                              resident column, one cell per
 *                                              cohort, resident "" (formats
 *                                              before 7 wrote evaluation|row:
 *                                              the id or row number, read as
 *                                              none)
 *   pseudonym?      FINGERPRINT                residents are HMAC pseudonyms
 *                                              under the key of this
 *                                              fingerprint (pseudonym.h)
 *   input*          PATH BYTES SHA256 ENCODING ROWS_READ
 *   text_column*    NAME
 *   cohort_column*  NAME                       as the manifest names them
 *   mapping         given|guessed given|guessed   text, cohort columns
 *   id_column?      NAME given|guessed         absent: the row number
 *   resident_column? NAME given|guessed        absent: evaluation = cluster
 *   cohort_map?     PATH SHA256
 *   period?         LABEL                      format 5: the cycle (--period)
 *   evaluator_column? NAME given|guessed       format 6: the evaluator ids
 *                                              of the fine cells
 *   adjust*         NAME                       format 6: --adjust columns
 *   stratum_column* NAME                       format 6: the columns whose
 *                                              labels make a fine cell's
 *                                              stratum, in order, joined by
 *                                              0x1F (adjust.h)
 *   rows            READ ANALYSED SKIPPED      read = analysed + skipped
 *   skip_reason*    KIND COUNT
 *   skip*           INPUT ROW REASON           INPUT: 0-based index of input;
 *                                              the first 10,000 only
 *   totals          WORDS HITS NEGATED OTHER_REFERENT QUOTED
 *   units?          EVALUATIONS ROWS_WITHOUT_COMMENT   (format 4) distinct
 *                                              evaluations; rows of a long
 *                                              export adding no words
 *   lexicon*        NAME VERSION PATH SHA256 LICENSE DESCRIPTION
 *   category*       LEXICON NAME DIRECTION DESCRIPTION   LEXICON: 0-based
 *   source*         CATEGORY CITATION
 *   label*          CATEGORY LABEL SUMMARY     format 2: a category's human
 *                                              name and one-line summary,
 *                                              for categories that have them
 *   entry*          CATEGORY TERM              item e = the e-th entry (0-based);
 *                                              item nentries+g = category g's total
 *   tally           NCOLUMNS NENTRIES NCATEGORIES
 *   column*         NAME                       NCOLUMNS of them ("(all)" when
 *                                              the audit had no cohort column)
 *   cohort*         COLUMN LABEL EVALUATIONS WORDS
 *   cohort_item*    ITEM HITS NEGATED EVALS_WITH_HIT OTHER_REFERENT QUOTED
 *                                              of the cohort above;
 *                                              items with a non-zero count only
 *   cell*           RESIDENT EVALUATIONS WORDS of the cohort above
 *   cell_item*      ITEM HITS NEGATED EVALS_WITH_HIT OTHER_REFERENT QUOTED
 *                                              of the cell above
 *   fine*           RESIDENT EVALUATOR STRATUM EVALUATIONS WORDS
 *                                              (format 6) of the cohort
 *                                              above, after its cells
 *   fine_item*      ITEM HITS NEGATED EVALS_WITH_HIT OTHER_REFERENT QUOTED
 *                                              of the fine cell above
 *   fine_cells?     complete                   (format 6) every evaluation
 *                                              is in a fine cell
 *   level*          COLUMN resident|evaluator|evaluation   (format 4)
 *   person*         COLUMN PERSON LABEL COUNT  (format 4) evaluations of a
 *                                              person carrying a label, for
 *                                              resident-level columns: merge
 *                                              adds them and gives each
 *                                              person one label (labels.h)
 *   end             SHA256                     of every byte before this line:
 *                                              a truncated or edited file is
 *                                              refused, never merged
 *
 * Cohorts are written in the tally's sorted order, cells sorted by
 * resident, items in increasing order. HITS exclude negated hits, as in
 * rates.csv. A reader refuses a file whose version it does not know, an
 * unknown record, a count out of range, a bad end line, and counts that do
 * not add up (a cohort's cells must sum to the cohort: tally_check); a
 * later format that adds records gets a new version number.
 *
 * Ownership: tally_file_read fills a struct tally_part the caller releases
 * with tally_part_fini; everything in it belongs to it. */
#ifndef EVALBIAS_TALLY_FILE_H
#define EVALBIAS_TALLY_FILE_H

#include <stdio.h>

#include "diag.h"
#include "labels.h"
#include "lexicon.h"
#include "runinfo.h"
#include "tally.h"
#include "util.h"

#define TALLY_FILE_NAME "tally.evalbias"
#define TALLY_FILE_MAGIC "evalbias-tally"
/* The format written, and the newest read (see "formats" above). Readers
 * take formats 1 to TALLY_FILE_VERSION. */
#define TALLY_FILE_VERSION 7
#define TALLY_FILE_VERSION_STR "7"

enum tally_clusters {
    TALLY_CLUSTERS_RESIDENT,    /* the resident column */
    TALLY_CLUSTERS_EVALUATION,  /* the evaluation id column */
    TALLY_CLUSTERS_ROW,         /* row numbers: unique within a part only
                                   (formats before 7; read as none) */
    TALLY_CLUSTERS_NONE,        /* format 7: no resident column, residents
                                   unknown; one anonymous cell per cohort */
};

/* What a tally file holds besides the counts. */
struct tally_file_meta {
    const struct run_info *ri;          /* inputs, columns, rows, totals */
    const struct lexicon_set *set;
    const struct strvec *cols;          /* tally column names */
    enum tally_clusters clusters;
    const char *key_fingerprint;        /* NULL: residents are not pseudonyms */
    const labels *pl;                   /* per-person labels, or NULL */
};

/* Write the finished tally t with m to f. Returns 0, or -1 with err filled
 * on a write error. */
int tally_file_write(FILE *f, const tally *t, const struct tally_file_meta *m,
                     struct diag *err);

/* One tally file, read back. */
struct tally_part {
    char *path;                 /* the file */
    char sha256[65];            /* of its bytes */
    char *tool_version;
    unsigned format;            /* the file's format version (1 to 4) */
    enum tally_clusters clusters;
    char key_fingerprint[17];   /* "" when not pseudonymized */
    struct run_info ri;         /* ri.set = set; version, args, inputs, ... */
    struct lexicon_set *set;
    struct strvec cols;         /* tally column names */
    tally *t;                   /* not finished: tally_merge it, or finish */
    labels *pl;                 /* per-person labels (empty in format 1) */
    char *id_col, *resident_col, *cohort_map, *period; /* ri's storage */
    char *evaluator_col;
};

/* Read path (a tally file, or a folder holding TALLY_FILE_NAME). Returns 0,
 * or -1 with err filled ("file:line: error: ...") and *p released. */
int tally_file_read(const char *path, struct tally_part *p, struct diag *err);
void tally_part_fini(struct tally_part *p);

const char *tally_clusters_name(enum tally_clusters c);

#endif
