/* runinfo.c - the run's record: inputs, column mapping and row accounting
 * (struct run_info, runinfo.h), kept as the audit goes and
 * written out by report_manifest_write. */
#include "runinfo.h"
#include "reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void run_info_skip(struct run_info *ri, size_t input, unsigned long row,
                   const char *kind, const char *detail)
{
    ri->rows_skipped++;
    size_t k;
    for (k = 0; k < ri->skip_reasons.n; k++)
        if (strcmp(ri->skip_reasons.v[k], kind) == 0)
            break;
    if (k == ri->skip_reasons.n) {
        strvec_push(&ri->skip_reasons, kind);
        ri->skip_reason_counts = xrealloc(ri->skip_reason_counts,
                                          ri->skip_reasons.n * sizeof(unsigned long));
        ri->skip_reason_counts[k] = 0;
    }
    ri->skip_reason_counts[k]++;
    if (ri->nskips >= SKIP_LIST_MAX)
        return;
    grow(&ri->skips, &ri->skips_cap, ri->nskips + 1, sizeof *ri->skips);
    ri->skips[ri->nskips++] = (struct skip_info){
        .input = input, .row = row, .reason = xstrdup(detail ? detail : kind)};
}

void run_info_input_format(struct input_info *in,
                           const struct reader_format *f)
{
    snprintf(in->format, sizeof in->format, "%s", f->xlsx ? "xlsx" : "csv");
    snprintf(in->delimiter, sizeof in->delimiter, "%s",
             f->xlsx ? "" : reader_delimiter_name(f->delimiter));
    snprintf(in->sheet, sizeof in->sheet, "%s", f->sheet ? f->sheet : "");
    in->header_row = f->header_row;
    in->rows_above_header = f->rows_above;
    in->delimiter_detected = f->delimiter_detected;
    in->header_detected = f->header_detected;
}

void run_info_add_part(struct run_info *ri, const char *path,
                       const char *sha256, size_t ninputs,
                       const char *key_fingerprint)
{
    ri->parts = xrealloc(ri->parts, (ri->nparts + 1) * sizeof *ri->parts);
    struct part_info *p = &ri->parts[ri->nparts++];
    memset(p, 0, sizeof *p);
    p->path = xstrdup(path);
    snprintf(p->sha256, sizeof p->sha256, "%s", sha256);
    p->first_input = ri->ninputs - ninputs;
    p->ninputs = ninputs;
    snprintf(p->key_fingerprint, sizeof p->key_fingerprint, "%s",
             key_fingerprint ? key_fingerprint : "");
}

void run_info_fini(struct run_info *ri)
{
    for (size_t i = 0; i < ri->nparts; i++)
        free(ri->parts[i].path);
    free(ri->parts);
    for (size_t i = 0; i < ri->nskips; i++)
        free(ri->skips[i].reason);
    free(ri->skips);
    for (size_t i = 0; i < ri->ninputs; i++)
        free(ri->inputs[i].path);
    free(ri->inputs);
    free(ri->skip_reason_counts);
    strvec_fini(&ri->outputs);
    strvec_fini(&ri->skip_reasons);
    strvec_fini(&ri->args);
    strvec_fini(&ri->config_keys);
    strvec_fini(&ri->config_values);
    strvec_fini(&ri->text_cols);
    strvec_fini(&ri->cohort_cols);
    strvec_fini(&ri->questions);
    strvec_fini(&ri->roster_missing_names);
    strvec_fini(&ri->cohort_levels);
    strvec_fini(&ri->adjust_cols);
    strvec_fini(&ri->strata_cols);
    free(ri->relabel_filled);
    free(ri->relabel_majority);
    free(ri->relabel_tie);
}
