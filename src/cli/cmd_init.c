/* cmd_init.c - `evalbias init EXPORT [--roster FILE] [-o FILE]`: look at
 * an export (and a roster) as `evalbias columns` does (inspect.h) and
 * write a commented configuration for `evalbias audit --config` (config.h)
 * for the program to check. What the audit would guess by itself (text
 * and cohort columns, the comment questions) is written as commented-out
 * lines, so the audit guesses exactly as without a configuration and the
 * person sees each guess; what it cannot guess (a long export's columns,
 * the roster's key) is written as keys. Never overwrites a file. */
#include "cmd.h"
#include "cli.h"
#include "inspect.h"
#include "textsafe.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { OPT_OUTPUT = 1, OPT_ROSTER, OPT_ROSTER_SHEET, OPT_COHORT_MAP,
       OPT_ENCODING, OPT_DELIMITER, OPT_HEADER_ROW, OPT_SHEET };

static const struct cli_option init_options[] = {
    {OPT_OUTPUT, "output", 'o', "FILE",
     "the configuration to write (default: evalbias.yaml);\n"
     "an existing file is never overwritten", "Output"},
    {OPT_ROSTER, "roster", 0, "FILE",
     "the program's roster (CSV or .xlsx): its key column is the one\n"
     "naming the export's residents, its gender column a cohort", "Inputs"},
    {OPT_ROSTER_SHEET, "roster-sheet", 0, "NAME",
     "the roster's worksheet (default: the first)", "Inputs"},
    {OPT_COHORT_MAP, "cohort-map", 0, "FILE",
     "a cohort map (label,cohort) to name in the configuration", "Inputs"},
    {OPT_ENCODING, "encoding", 0, "ENC",
     "auto (default), utf-8, windows-1252, utf-16le or utf-16be", "Input"},
    {OPT_DELIMITER, "delimiter", 0, "C", READER_OPTION_HELP_DELIMITER, "Input"},
    {OPT_HEADER_ROW, "header-row", 0, "N", READER_OPTION_HELP_HEADER_ROW, "Input"},
    {OPT_SHEET, "sheet", 0, "NAME", READER_OPTION_HELP_SHEET, "Input"},
    {0, NULL, 0, NULL, NULL, NULL},
};

static const struct cli_command init_command = {
    "init",
    "evalbias init - write a configuration (evalbias.yaml) from an export",
    "evalbias init [OPTIONS] EXPORT [--roster FILE] [-o FILE]",
    "Reads the export (CSV or .xlsx) as 'evalbias columns' does - columns,\n"
    "guessed roles, a long export's question and answer columns and which\n"
    "questions hold comments - and, with --roster, finds the roster column\n"
    "that names the export's residents and the roster's gender column. It\n"
    "writes a commented YAML configuration: keys are the long options of\n"
    "'evalbias audit', lists for repeatable ones. What the audit guesses by\n"
    "itself is shown as commented-out lines (remove the # to fix a choice).\n"
    "Paths in it are relative to its folder. Check it, then run\n"
    "'evalbias audit --config FILE'; an option on that command line\n"
    "overrides its key. Exit codes: 0 written; 2 usage or input error, or\n"
    "the file exists.",
    init_options,
    "  evalbias init samples/evaluations.csv --cohort-map samples/cohort-map.csv\n"
    "  evalbias init evaluations-long.xlsx --roster roster.csv -o program.yaml\n"
    "  evalbias audit --config program.yaml\n",
};

static int usage_error(const char *msg)
{
    fprintf(stderr, "evalbias: error: %s\n"
                    "Try 'evalbias init --help' for more information.\n", msg);
    return EXIT_USAGE;
}

/* A YAML scalar: plain when nothing in it means something to YAML, else
 * double-quoted with escapes. */
static void put_scalar(FILE *f, const char *s)
{
    int plain = *s && s[0] != ' ' && s[strlen(s) - 1] != ' ';
    for (const unsigned char *p = (const unsigned char *)s; plain && *p; p++)
        plain = *p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
                (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                (*p && strchr(" _./()=+-", *p) &&
                 !(p == (const unsigned char *)s && strchr("-", *p)));
    const char *words[] = {"true", "false", "yes", "no", "null", "on", "off",
                           NULL};
    for (size_t i = 0; plain && words[i]; i++)
        plain = strcasecmp(s, words[i]) != 0;
    if (plain) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\x%02x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void put_key(FILE *f, const char *prefix, const char *key,
                    const char *value)
{
    fprintf(f, "%s%s: ", prefix, key);
    put_scalar(f, value);
    fputc('\n', f);
}

/* path made absolute and clean, lexically ("." and ".." folded; symbolic
 * links kept, as the user sees them), into out. 0, or -1 when the current
 * folder is unknown or the result too long. */
static int absolute(const char *path, char out[PATH_MAX])
{
    char tmp[PATH_MAX];
    if (path[0] == '/')
        snprintf(tmp, sizeof tmp, "%s", path);
    else if (!getcwd(tmp, sizeof tmp) ||
             strlen(tmp) + strlen(path) + 2 > sizeof tmp)
        return -1;
    else
        strcat(strcat(tmp, "/"), path);
    size_t n = 0;
    out[0] = '\0';
    for (char *save = NULL, *c = strtok_r(tmp, "/", &save); c;
         c = strtok_r(NULL, "/", &save)) {
        if (strcmp(c, ".") == 0)
            continue;
        if (strcmp(c, "..") == 0) {
            while (n > 0 && out[n - 1] != '/')
                n--;
            if (n > 0)
                n--;
            out[n] = '\0';
            continue;
        }
        n += (size_t)snprintf(out + n, PATH_MAX - n, "/%s", c);
    }
    if (n == 0)
        strcpy(out, "/");
    return 0;
}

/* path as seen from folder dir: "x.csv", "../exports/x.csv"; the absolute
 * path when they share only "/". */
static char *relative_to(const char *dir, const char *path)
{
    char d[PATH_MAX], p[PATH_MAX];
    if (absolute(dir, d) < 0 || absolute(path, p) < 0)
        return xstrdup(path);
    if (strcmp(d, "/") == 0)
        return xstrdup(p + 1);
    size_t common = 0, i = 0;
    for (; d[i] && d[i] == p[i]; i++)
        if (d[i] == '/')
            common = i;
    if (!d[i] && p[i] == '/')
        common = i; /* dir is a prefix of path */
    if (common == 0) /* only "/" in common: the absolute path says more */
        return xstrdup(p);
    struct buf b;
    buf_init(&b);
    for (const char *q = d + common; *q; q++)
        if (*q == '/')
            buf_puts(&b, "../");
    buf_puts(&b, p + common + 1);
    char *r = xstrdup(buf_cstr(&b));
    buf_fini(&b);
    return r;
}

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? xstrndup(path, (size_t)(slash - path) + (slash == path))
                 : xstrdup(".");
}

/* "Gender" -> "Resident Gender": the roster describes residents. */
static char *resident_name(const char *col)
{
    for (const char *q = col; *q; q++)
        if (strncasecmp(q, "resident", 8) == 0)
            return xstrdup(col);
    struct buf b;
    buf_init(&b);
    buf_printf(&b, "Resident %s", col);
    char *r = xstrdup(buf_cstr(&b));
    buf_fini(&b);
    return r;
}

/* "Resident ID", "ID": an identifier, not a cohort. */
static int id_like(const char *name)
{
    size_t n = strlen(name);
    return n >= 2 && strcasecmp(name + n - 2, "id") == 0 &&
           (n == 2 || name[n - 3] == ' ' || name[n - 3] == '_');
}

static void list_labels(FILE *f, const struct inspection *in, size_t c)
{
    const struct strvec *l = &in->labels[c];
    fprintf(f, "#   %s: ", in->columns.v[c]);
    for (size_t i = 0; i < l->n && i < 12; i++)
        fprintf(f, "%s%s", i ? ", " : "", l->v[i]);
    fprintf(f, "%s\n", l->n > 12 ? ", ..." : "");
}

struct init_args {
    const char *export, *out, *roster, *roster_sheet, *cohort_map;
    struct reader_options ropt;
    const char *delimiter, *header_row, *encoding;
};

static void write_config(FILE *f, const struct init_args *a,
                         const struct inspection *in, const char *dir,
                         const struct inspection *ro, long key,
                         unsigned long matched)
{
    char *p = relative_to(dir, a->export);
    fprintf(f, "# evalbias configuration for %s, written by 'evalbias init'.\n"
               "# Check every key, then run:\n"
               "#     evalbias audit --config %s\n"
               "# Keys are the long options of 'evalbias audit' (evalbias "
               "audit --help);\n"
               "# a list is for an option that can be repeated. An option "
               "given on the\n"
               "# command line overrides its key here (a repeatable one "
               "replaces the list).\n"
               "# Paths are relative to this file's folder. Lines starting "
               "with # are\n"
               "# comments: remove the # to use one.\n\n",
            path_basename(a->export), path_basename(a->out));
    fprintf(f, "# The export; next cycle, give the new one on the command "
               "line:\n#     evalbias audit --config %s NEW-EXPORT\n"
               "# Read as: %s%s%s.\n", path_basename(a->out),
            in->how, in->xlsx ? "" : "; encoding ", in->xlsx ? "" : in->encoding);
    put_key(f, "", "input", p);
    free(p);
    if (a->ropt.sheet)
        put_key(f, "", "sheet", a->ropt.sheet);
    if (a->delimiter)
        put_key(f, "", "delimiter", a->delimiter);
    if (a->header_row)
        put_key(f, "", "header-row", a->header_row);
    if (a->encoding)
        put_key(f, "", "encoding", a->encoding);

    size_t n = in->columns.n;
    if (in->question >= 0) {
        fputs("\n# A long export: one row per answer. Rows with the same id "
              "are one evaluation.\n", f);
        put_key(f, "", "question", in->columns.v[in->question]);
        put_key(f, "", "answer", in->columns.v[in->answer]);
        if (in->id >= 0)
            put_key(f, "", "id", in->columns.v[in->id]);
        else
            fputs("id: EVALUATION-ID-COLUMN   # no column looks like an "
                  "evaluation id: name it\n", f);
        fputs("# The comment questions: the audit chooses the questions "
              "whose answers are\n# mostly free text (below, from the first "
              "rows); the others are ratings and\n# add no words. To fix the "
              "list, remove the #s:\n# questions:\n", f);
        for (size_t i = 0; i < in->q.nseen; i++)
            if (in->q.seen[i].comment) {
                fputs("#   - ", f);
                put_scalar(f, in->q.seen[i].name);
                fputc('\n', f);
            }
        fputs("# Looked like ratings:", f);
        for (size_t i = 0, k = 0; i < in->q.nseen; i++)
            if (!in->q.seen[i].comment)
                fprintf(f, "%s %s", k++ ? "," : "", in->q.seen[i].name);
        fputc('\n', f);
    } else {
        fputs("\n# The comment columns (guessed from the header):\n", f);
        size_t k = 0;
        for (size_t c = 0; c < n; c++)
            if (in->role[c] == INSPECT_TEXT) {
                fputs(k++ ? "#   - " : "# text:\n#   - ", f);
                put_scalar(f, in->columns.v[c]);
                fputc('\n', f);
            }
        if (!k) {
            fputs("# No column looks like comments: name them. The columns "
                  "are:\n#  ", f);
            for (size_t c = 0; c < n; c++)
                fprintf(f, "%s %s", c ? "," : "", in->columns.v[c]);
            fputs("\ntext:\n  - COMMENT-COLUMN\n", f);
        }
        if (in->id >= 0) {
            fputs("# The evaluation id (guessed):\n", f);
            put_key(f, "# ", "id", in->columns.v[in->id]);
        }
    }
    if (in->resident >= 0) {
        if (in->question >= 0) {
            fputs("# The resident (the cluster of the statistics):\n", f);
            put_key(f, "", "resident", in->columns.v[in->resident]);
        } else {
            fputs("# The resident (guessed; the cluster of the "
                  "statistics):\n", f);
            put_key(f, "# ", "resident", in->columns.v[in->resident]);
        }
    } else {
        fputs("# No column looks like the resident's name: each evaluation "
              "is then its own\n# cluster. Name it if there is one:\n"
              "# resident: RESIDENT-COLUMN\n", f);
    }

    fputs("\n# Cohorts: the groups compared. The audit takes the gender/sex "
          "columns:\n", f);
    size_t k = 0;
    for (size_t c = 0; c < n; c++)
        if (in->role[c] == INSPECT_COHORT) {
            fputs(k++ ? "#   - " : "# cohort:\n#   - ", f);
            put_scalar(f, in->columns.v[c]);
            fputc('\n', f);
        }
    if (!k && !ro)
        fputs("# (none in the export: a roster adds the residents' gender, "
              "'evalbias init\n# EXPORT --roster FILE')\n", f);
    fputs("# Other columns can be cohorts too (PGY, Rotation, Academic "
          "Year), e.g.:\n#   - PGY\n", f);
    if (k) {
        fputs("# Labels seen (a cohort map merges spellings: F, Female, "
              "female):\n", f);
        for (size_t c = 0; c < n; c++)
            if (in->role[c] == INSPECT_COHORT)
                list_labels(f, in, c);
    }

    if (ro) {
        p = relative_to(dir, a->roster);
        fprintf(f, "\n# The roster (%s: columns", path_basename(a->roster));
        for (size_t c = 0; c < ro->columns.n; c++)
            fprintf(f, "%s %s", c ? "," : "", ro->columns.v[c]);
        fputs(").\n", f);
        put_key(f, "", "roster", p);
        free(p);
        if (a->roster_sheet)
            put_key(f, "", "roster-sheet", a->roster_sheet);
        if (key >= 0) {
            fprintf(f, "# The roster column naming the export's residents: "
                       "it names %lu of the\n# %zu residents seen in the "
                       "export's first rows.\n", matched,
                    in->residents.n);
            put_key(f, "", "roster-key", ro->columns.v[key]);
        } else {
            fputs("# No roster column names the export's residents: name "
                  "the key column.\nroster-key: NAME-COLUMN\n", f);
        }
        fputs("# Roster columns that become cohorts (COLUMN=NAME; the "
              "roster wins over an\n# export column of that NAME):\n", f);
        size_t g = 0;
        for (size_t c = 0; c < ro->columns.n; c++) {
            if (ro->role[c] != INSPECT_COHORT)
                continue;
            char *name = resident_name(ro->columns.v[c]);
            struct buf b;
            buf_init(&b);
            buf_printf(&b, "%s=%s", ro->columns.v[c], name);
            fputs(g++ ? "  - " : "roster-cohort:\n  - ", f);
            put_scalar(f, buf_cstr(&b));
            fputc('\n', f);
            buf_fini(&b);
            free(name);
        }
        for (size_t c = 0; c < ro->columns.n; c++)
            if (ro->role[c] == INSPECT_NONE && (long)c != key &&
                !id_like(ro->columns.v[c])) {
                fputs("#  - ", f);
                put_scalar(f, ro->columns.v[c]);
                fputc('\n', f);
            }
        if (!g)
            fputs("# (no gender/sex column in the roster: name one)\n"
                  "roster-cohort:\n  - ROSTER-COLUMN=Resident Gender\n", f);
        for (size_t c = 0; c < ro->columns.n; c++)
            if (ro->role[c] == INSPECT_COHORT) {
                fputs("# Labels seen in the roster:\n", f);
                list_labels(f, ro, c);
            }
    }

    fputs("\n# Statistics and output:\n", f);
    if (a->cohort_map) {
        p = relative_to(dir, a->cohort_map);
        put_key(f, "", "cohort-map", p);
        free(p);
    } else {
        fputs("# cohort-map: cohort-map.csv     # label,cohort: F,Female ...\n",
              f);
    }
    fputs("# reference: Female              # the cohort the others are "
          "compared with\n"
          "# min-residents: 5               # smaller cohorts are "
          "suppressed\n"
          "# confidence: 0.95\n"
          "# period: 2025-26                # the cycle, for 'evalbias "
          "trend'\n"
          "# lexicon:                       # default: the installed "
          "lexicons\n#   - lexicons/\n"
          "# output: evalbias-out\n"
          "# strict: true                   # exit 1 when rows were "
          "skipped\n", f);
}

int cmd_init(int argc, char **argv)
{
    struct init_args a;
    memset(&a, 0, sizeof a);
    a.out = "evalbias.yaml";
    struct cli_parser p;
    cli_init(&p, &init_command, argc - 1, argv + 1);
    const char *v, *msg;
    for (int id; (id = cli_next(&p, &v)) != CLI_END;) {
        switch (id) {
        case CLI_HELP: cli_print_help(stdout, &init_command); return EXIT_OK;
        case CLI_ERROR: return usage_error(p.error);
        case CLI_POSITIONAL:
            if (a.export)
                return usage_error("init takes one export (the others of a "
                                   "cycle go on the audit's command line)");
            a.export = v;
            break;
        case OPT_OUTPUT: a.out = v; break;
        case OPT_ROSTER: a.roster = v; break;
        case OPT_ROSTER_SHEET: a.roster_sheet = v; break;
        case OPT_COHORT_MAP: a.cohort_map = v; break;
        case OPT_DELIMITER: case OPT_HEADER_ROW: case OPT_SHEET:
            if ((msg = reader_set_option(&a.ropt, id == OPT_SHEET ? "sheet"
                       : id == OPT_DELIMITER ? "delimiter" : "header-row", v)))
                return usage_error(msg);
            if (id == OPT_DELIMITER)
                a.delimiter = v;
            else if (id == OPT_HEADER_ROW)
                a.header_row = v;
            break;
        case OPT_ENCODING:
            if (strcmp(v, "auto") == 0)
                break;
            a.ropt.encoding = strcmp(v, "utf-8") == 0 ? READER_ENC_UTF8
                            : strcmp(v, "windows-1252") == 0 ? READER_ENC_CP1252
                            : strcmp(v, "utf-16le") == 0 ? READER_ENC_UTF16LE
                            : strcmp(v, "utf-16be") == 0 ? READER_ENC_UTF16BE
                            : READER_ENC_AUTO;
            if (a.ropt.encoding == READER_ENC_AUTO)
                return usage_error("--encoding must be auto, utf-8, "
                                   "windows-1252, utf-16le or utf-16be");
            a.encoding = v;
            break;
        }
    }
    if (!a.export)
        return usage_error("no export (init EXPORT [--roster FILE] [-o FILE])");
    if (strcmp(a.export, "-") == 0)
        return usage_error("init reads a file, not stdin");
    if (a.roster_sheet && !a.roster)
        return usage_error("--roster-sheet is an option of --roster FILE");
    if (access(a.out, F_OK) == 0) {
        fprintf(stderr, "evalbias: %s: error: the file exists; init never "
                "overwrites a configuration (remove it, or give -o "
                "ANOTHER.yaml)\n", a.out);
        return EXIT_USAGE;
    }
    struct diag err;
    struct inspection in, ro;
    int have_ro = 0, code = EXIT_OK;
    long key = -1;
    unsigned long matched = 0;
    if (inspect_file(a.export, &a.ropt, &in, &err) < 0) {
        diag_print(stderr, &err);
        inspection_fini(&in);
        return EXIT_USAGE;
    }
    if (a.roster) {
        struct reader_options rop = {.encoding = a.ropt.encoding,
                                     .sheet = a.roster_sheet};
        if (inspect_file(a.roster, &rop, &ro, &err) < 0 ||
            (key = inspect_roster_key(a.roster, a.roster_sheet, &rop,
                                      &in.residents, &matched, &err)) < -1) {
            diag_print(stderr, &err);
            inspection_fini(&in);
            inspection_fini(&ro);
            return EXIT_USAGE;
        }
        have_ro = 1;
    }
    /* The whole text first, then one exclusive create: nothing is
     * half-written, and a file that appeared meanwhile is not replaced. */
    char *text = NULL;
    size_t len = 0;
    FILE *mf = open_memstream(&text, &len);
    char *dir = folder_of(a.out);
    write_config(mf, &a, &in, dir, have_ro ? &ro : NULL, key, matched);
    fclose(mf);
    free(dir);
    int fd = open(a.out, O_WRONLY | O_CREAT | O_EXCL, 0644);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
        fprintf(stderr, "evalbias: %s: error: cannot write: %s\n", a.out,
                errno == EEXIST ? "the file exists; init never overwrites "
                "a configuration" : strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(a.out);
        }
        code = EXIT_USAGE;
    } else if (close(fd) != 0) {
        fprintf(stderr, "evalbias: %s: error: cannot write: %s\n", a.out,
                strerror(errno));
        unlink(a.out);
        code = EXIT_USAGE;
    } else {
        printf("evalbias: wrote %s (%s%s%s). Check it, then run:\n"
               "  evalbias audit --config %s\n", a.out,
               in.question >= 0 ? "a long export" : "a wide export",
               have_ro ? ", with a roster" : "",
               have_ro && key < 0 ? ": name its key column" : "", a.out);
    }
    free(text);
    inspection_fini(&in);
    if (have_ro)
        inspection_fini(&ro);
    return code;
}
