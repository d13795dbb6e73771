/* config.h - a program's configuration file (evalbias.yaml): the options
 * a program types every cycle, kept in one file.
 *
 * The file is a YAML mapping whose keys are a command's long option names
 * (text, cohort, question, roster, roster-cohort, min-residents ...):
 *
 *     input: exports/2025-26.csv
 *     question: Question
 *     roster: roster.xlsx
 *     roster-cohort:
 *       - Gender=Resident Gender
 *     strict: true
 *
 * config_load turns it into an argv-like list of (option, value) pairs, in
 * file order, checked against the caller's table of keys (struct
 * config_key): an unknown key, a list or mapping where one value is
 * expected, a flag that is not true/false, a key given twice, each is an
 * error naming file:line:col. A list key (a repeatable option) takes a
 * list or one value; a null value (`key:` or `key: ~`) sets nothing.
 * A flag set to false sets nothing either. Values of path keys that are
 * relative resolve against the configuration's folder.
 *
 * The command layer applies the pairs before the command line, so an
 * option typed there overrides its key (src/cli/cli_config.c).
 *
 * Ownership: config_load copies everything it keeps (keys point into the
 * caller's table, which must outlive the config); config_fini releases. No
 * printing, no I/O beyond reading the file. */
#ifndef EVALBIAS_CONFIG_H
#define EVALBIAS_CONFIG_H

#include <stddef.h>

#include "diag.h"

enum config_kind {
    CONFIG_FLAG,    /* true / false */
    CONFIG_VALUE,   /* one value (a string or a number) */
    CONFIG_LIST,    /* a list, or one value: a repeatable option */
};

struct config_key {
    const char *name;       /* the long option name */
    enum config_kind kind;
    int is_path;            /* relative values resolve against the folder */
};

struct config_pair {
    const struct config_key *key;  /* into the caller's table */
    char *value;           /* resolved (paths); NULL for a flag */
    char *written;         /* as written in the file ("true" for a flag) */
    unsigned long line, col;
};

/* Configuration files are small; a bigger file is refused. */
#define CONFIG_MAX_BYTES (1u << 20)

struct config {
    char *path;            /* as given */
    char sha256[65];       /* of the file's bytes */
    struct config_pair *pairs;
    size_t n, cap;
};

/* Read and check path against keys[0..nkeys). Returns 0, or -1 with err
 * filled (file:line:col for a key or value; a file that cannot be read or
 * is not YAML). c is zeroed first and may be passed to config_fini either
 * way. */
int config_load(struct config *c, const char *path,
                const struct config_key *keys, size_t nkeys, struct diag *err);
void config_fini(struct config *c);

/* Does the configuration set key `name` (at least one pair)? */
int config_sets(const struct config *c, const char *name);

#endif
