/* report_json.c - manifest.json: what was run, on what, with what result.
 * The manifest is the one output that holds timestamps and timings; the
 * data files stay byte-identical across runs. */
#include "report.h"
#include "json.h"
#include "reader.h" /* reader_utf8_invalid_at */

#include <stdlib.h>
#include <string.h>

/* Write s as a JSON string (UTF-8 passes through; control characters are
 * escaped). */
static void json_strvec(FILE *f, const struct strvec *sv)
{
    fputc('[', f);
    for (size_t i = 0; i < sv->n; i++) {
        if (i)
            fputs(", ", f);
        json_str(f, sv->v[i]);
    }
    fputc(']', f);
}

static const char *guessed(int g) { return g ? "guessed" : "given"; }

/* The statistics settings, the reference of each cohort column and how
 * many cohorts were suppressed (never which: that would name them). */
static void manifest_statistics(FILE *f, const struct run_info *ri,
                                const tally *t, const struct comparisons *cmp)
{
    fprintf(f, "  \"statistics\": {\n    \"confidence\": %g,\n"
               "    \"min_residents\": %u,\n    \"cohort_map\": ",
            cmp->opt.conf, cmp->opt.min_residents);
    if (ri->cohort_map) {
        fputs("{\"name\": ", f);
        json_str(f, path_basename(ri->cohort_map));
        fputs(", \"sha256\": ", f);
        json_str(f, ri->cohort_map_sha256);
        fputc('}', f);
    } else {
        fputs("null", f);
    }
    fputs(",\n    \"reference\": {", f);
    for (size_t c = 0; c < ri->cohort_cols.n && c < cmp->ncols; c++) {
        fputs(c ? ", " : "", f);
        json_str(f, ri->cohort_cols.v[c]);
        fputs(": ", f);
        json_str(f, cmp->reference[c] == SIZE_MAX
                        ? NULL : tally_cohort_name(t, c, cmp->reference[c]));
    }
    fprintf(f, "},\n    \"cohorts_suppressed\": %zu", cmp->suppressed);
    /* No resident column: residents unknown, suppression counted
     * evaluations (suppress.h). Written only then. */
    if (!tally_residents_known(t))
        fputs(",\n    \"residents\": \"unknown (no resident column)\",\n"
              "    \"suppression_counts\": \"evaluations\"", f);
    fputs("\n  },\n", f);
}

/* Long exports, the roster, and each cohort column's level with how many
 * people got one label (audit_units.c). */
static void manifest_units(FILE *f, const struct run_info *ri)
{
    fprintf(f, "  \"evaluations\": %llu,\n  \"long_format\": ",
            (unsigned long long)ri->evaluations);
    if (ri->question_col) {
        fputs("{\"question\": ", f);
        json_str(f, ri->question_col);
        fputs(", \"answer\": ", f);
        json_str(f, ri->answer_col);
        fputs(", \"comment_questions\": ", f);
        json_strvec(f, &ri->questions);
        fprintf(f, ", \"chosen\": \"%s\", \"rows_without_comment\": %lu}",
                ri->questions_given ? "given" : "from the answers",
                ri->rows_without_comment);
    } else {
        fputs("null", f);
    }
    fputs(",\n  \"roster\": ", f);
    if (ri->roster) {
        fputs("{\"name\": ", f);
        json_str(f, ri->roster);
        fputs(", \"sha256\": ", f);
        json_str(f, ri->roster_sha256);
        fputs(", \"key\": ", f);
        json_str(f, ri->roster_key);
        fprintf(f, ", \"residents\": %lu, \"matched\": %lu, "
                   "\"without_evaluations\": %lu, \"disagreements\": %lu,"
                   "\n    \"missing\": %lu, \"missing_listed\": ",
                ri->roster_residents, ri->roster_matched, ri->roster_unseen,
                ri->roster_disagreements, ri->roster_missing);
        json_strvec(f, &ri->roster_missing_names);
        fputc('}', f);
    } else {
        fputs("null", f);
    }
    fputs(",\n  \"cohort_levels\": {", f);
    for (size_t c = 0; c < ri->cohort_levels.n; c++) {
        fputs(c ? ",\n    " : "\n    ", f);
        json_str(f, ri->cohort_cols.v[c]);
        fputs(": {\"level\": ", f);
        json_str(f, ri->cohort_levels.v[c]);
        fprintf(f, ", \"relabelled\": {\"blanks_filled\": %lu, "
                   "\"conflicts_to_most_frequent\": %lu, "
                   "\"conflicts_tied\": %lu}}",
                ri->relabel_filled[c], ri->relabel_majority[c],
                ri->relabel_tie[c]);
    }
    fputs(ri->cohort_levels.n ? "\n  },\n" : "},\n", f);
}

void report_manifest_write(FILE *f, const struct run_info *ri,
                           const tally *t, const struct comparisons *cmp)
{
    fputs("{\n  \"tool\": \"evalbias\",\n  \"version\": ", f);
    json_str(f, ri->version);
    fputs(",\n  \"started_at\": ", f);
    json_str(f, ri->started_at);
    fprintf(f, ",\n  \"elapsed_seconds\": %.3f,\n  \"arguments\": ",
            ri->elapsed_seconds);
    /* Arguments as typed, but an absolute path by its file name only
     * (path_basename): the manifest travels with the tally. */
    fputc('[', f);
    for (size_t i = 0; i < ri->args.n; i++) {
        const char *arg = ri->args.v[i];
        if (i)
            fputs(", ", f);
        /* The review packet's seed undoes its order: it stays in the key. */
        if (i && strcmp(ri->args.v[i - 1], "--seed") == 0)
            arg = "(set)";
        else if (strncmp(arg, "--seed=", 7) == 0)
            arg = "--seed=(set)";
        json_str(f, arg[0] == '/' ? path_basename(arg) : arg);
    }
    fputc(']', f);
    /* Only a run with --config records one: other manifests unchanged. */
    if (ri->config_name) {
        fputs(",\n  \"config\": {\"name\": ", f);
        json_str(f, ri->config_name);
        fputs(", \"sha256\": ", f);
        json_str(f, ri->config_sha256);
        fputs(", \"content\": [", f);
        for (size_t i = 0; i < ri->config_keys.n; i++) {
            fputs(i ? ",\n    [" : "\n    [", f);
            json_str(f, ri->config_keys.v[i]);
            fputs(", ", f);
            /* the seed, as on the command line, stays in the key */
            json_str(f, strcmp(ri->config_keys.v[i], "seed") == 0
                            ? "(set)" : ri->config_values.v[i]);
            fputc(']', f);
        }
        fputs(ri->config_keys.n ? "\n  ]}" : "]}", f);
    }
    fputs(",\n  \"output_dir\": ", f);
    json_str(f, path_basename(ri->out_dir));
    /* The files of this set (outset.h): a later run into the folder
     * removes those it does not write again, and no other file. */
    if (ri->outputs.n) {
        fputs(",\n  \"outputs\": [", f);
        for (size_t i = 0; i < ri->outputs.n; i++) {
            if (i)
                fputs(", ", f);
            json_str(f, ri->outputs.v[i]);
        }
        fputc(']', f);
    }

    fputs(",\n  \"inputs\": [", f);
    for (size_t i = 0; i < ri->ninputs; i++) {
        const struct input_info *in = &ri->inputs[i];
        fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
        json_str(f, path_basename(in->path));
        fprintf(f, ", \"bytes\": %llu, \"sha256\": ",
                (unsigned long long)in->bytes);
        json_str(f, in->sha256);
        fputs(", \"encoding\": ", f);
        json_str(f, in->encoding);
        if (in->format[0]) { /* how it was read: detected or given */
            fprintf(f, ", \"format\": \"%s\", ", in->format);
            if (in->sheet[0]) {
                fputs("\"sheet\": ", f);
                json_str(f, in->sheet);
            } else {
                fputs("\"delimiter\": ", f);
                json_str(f, in->delimiter[0] == '\\' ? "\t" : in->delimiter);
                fprintf(f, ", \"delimiter_detected\": %s",
                        in->delimiter_detected ? "true" : "false");
            }
            fprintf(f, ", \"header_row\": %lu, \"header_detected\": %s, "
                    "\"rows_above_header\": %lu", in->header_row,
                    in->header_detected ? "true" : "false",
                    in->rows_above_header);
        }
        fprintf(f, ", \"rows_read\": %lu}", in->rows_read);
    }
    fputs("\n  ],\n", f);
    /* Only a merge has parts; only --id-key has a key: other manifests
     * are unchanged. */
    if (ri->nparts) {
        fputs("  \"parts\": [", f);
        for (size_t i = 0; i < ri->nparts; i++) {
            const struct part_info *p = &ri->parts[i];
            fputs(i ? ",\n    {\"tally\": " : "\n    {\"tally\": ", f);
            json_str(f, p->path);
            fputs(", \"sha256\": ", f);
            json_str(f, p->sha256);
            fputs(", \"key_fingerprint\": ", f);
            json_str(f, p->key_fingerprint[0] ? p->key_fingerprint : NULL);
            fputs(", \"inputs\": [", f);
            for (size_t j = 0; j < p->ninputs; j++)
                fprintf(f, "%s%zu", j ? ", " : "", p->first_input + j);
            fputs("]}", f);
        }
        fputs("\n  ],\n", f);
    }
    if (ri->period) {
        fputs("  \"period\": ", f);
        json_str(f, ri->period);
        fputs(",\n", f);
    }
    if (ri->key_fingerprint) {
        fputs("  \"residents\": {\"pseudonyms\": \"HMAC-SHA-256\", "
              "\"key_fingerprint\": ", f);
        json_str(f, ri->key_fingerprint);
        fputs("},\n", f);
    }
    fputs("  \"lexicons\": [", f);
    for (size_t i = 0; i < ri->set->nlexicons; i++) {
        const struct lex_info *lx = &ri->set->lexicons[i];
        size_t nent = 0, ncat = 0;
        for (size_t e = 0; e < ri->set->nentries; e++)
            nent += ri->set->entries[e].lexicon == i;
        for (size_t g = 0; g < ri->set->ncategories; g++)
            ncat += ri->set->categories[g].lexicon == i;
        fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
        json_str(f, lx->name);
        fputs(", \"version\": ", f);
        json_str(f, lx->version);
        fputs(", \"path\": ", f);
        json_str(f, path_basename(lx->path));
        fputs(", \"sha256\": ", f);
        json_str(f, lx->sha256);
        fprintf(f, ", \"categories\": %zu, \"entries\": %zu}", ncat, nent);
    }
    fputs("\n  ],\n  \"columns\": {\n    \"text\": ", f);
    json_strvec(f, &ri->text_cols);
    fprintf(f, ", \"text_mapping\": \"%s\",\n    \"cohort\": ",
            guessed(ri->text_guessed));
    json_strvec(f, &ri->cohort_cols);
    fprintf(f, ", \"cohort_mapping\": \"%s\",\n    \"id\": ",
            guessed(ri->cohort_guessed));
    json_str(f, ri->id_col);
    fputs(",\n    \"resident\": ", f);
    json_str(f, ri->resident_col);
    fputs("\n  },\n", f);
    manifest_units(f, ri);

    fprintf(f, "  \"rows\": {\n    \"read\": %lu,\n    \"analysed\": %lu,\n"
               "    \"skipped\": %lu,\n    \"skipped_by_reason\": {",
            ri->rows_read, ri->rows_analysed, ri->rows_skipped);
    for (size_t k = 0; k < ri->skip_reasons.n; k++) {
        fputs(k ? ", " : "", f);
        json_str(f, ri->skip_reasons.v[k]);
        fprintf(f, ": %lu", ri->skip_reason_counts[k]);
    }
    fprintf(f, "},\n    \"skipped_rows_listed\": %zu,\n"
               "    \"skipped_rows\": [", ri->nskips);
    for (size_t i = 0; i < ri->nskips; i++) {
        const struct skip_info *s = &ri->skips[i];
        fputs(i ? ",\n      {\"file\": " : "\n      {\"file\": ", f);
        json_str(f, ri->inputs[s->input].path);
        fprintf(f, ", \"row\": %lu, \"reason\": ", s->row);
        json_str(f, s->reason);
        fputc('}', f);
    }
    fprintf(f, "%s]\n  },\n", ri->nskips ? "\n    " : "");
    if (cmp)
        manifest_statistics(f, ri, t, cmp);
    fprintf(f, "  \"totals\": {\"words\": %llu, \"hits\": %llu, "
               "\"negated_hits\": %llu}\n}\n",
            (unsigned long long)ri->words, (unsigned long long)ri->hits,
            (unsigned long long)ri->negated);
}
