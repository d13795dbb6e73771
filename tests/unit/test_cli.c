/* test_cli.c - option parsing, column roles and CSV cells. */
#include "check.h"
#include "cli.h"
#include "columns.h"
#include "report.h"

#include <stdlib.h>

static const struct cli_option opts[] = {
    {1, "text", 't', "COLS", "text", "Columns"},
    {2, "quiet", 'q', NULL, "quiet", "Output"},
    {3, "verbose", 'v', NULL, "verbose", "Output"},
    {0, NULL, 0, NULL, NULL, NULL},
};
static const struct cli_command cmd = {"x", "x", "x", NULL, opts, NULL};

static void test_cli(void)
{
    char *argv[] = {"--text", "A,B", "--text=C", "-qv", "-tD", "file.csv",
                    "--", "--quiet", NULL};
    struct cli_parser p;
    cli_init(&p, &cmd, 8, argv);
    const char *v;
    CHECK(cli_next(&p, &v) == 1 && strcmp(v, "A,B") == 0, "--name VALUE");
    CHECK(cli_next(&p, &v) == 1 && strcmp(v, "C") == 0, "--name=VALUE");
    CHECK(cli_next(&p, &v) == 2 && !v, "bundled -q");
    CHECK(cli_next(&p, &v) == 3, "bundled -v");
    CHECK(cli_next(&p, &v) == 1 && strcmp(v, "D") == 0, "-tVALUE");
    CHECK(cli_next(&p, &v) == CLI_POSITIONAL && strcmp(v, "file.csv") == 0,
          "positional");
    CHECK(cli_next(&p, &v) == CLI_POSITIONAL && strcmp(v, "--quiet") == 0,
          "after --, options are positional");
    CHECK(cli_next(&p, &v) == CLI_END, "end");

    char *bad[] = {"--nope"};
    cli_init(&p, &cmd, 1, bad);
    CHECK(cli_next(&p, &v) == CLI_ERROR && strstr(p.error, "--nope"),
          "unknown option named in the error");
    char *missing[] = {"--text"};
    cli_init(&p, &cmd, 1, missing);
    CHECK(cli_next(&p, &v) == CLI_ERROR && strstr(p.error, "needs a value"),
          "missing value");
    char *help[] = {"--help"};
    cli_init(&p, &cmd, 1, help);
    CHECK(cli_next(&p, &v) == CLI_HELP, "--help");
}

static void test_columns(void)
{
    CHECK(columns_guess("Overall Comments", ROLE_TEXT), "comments -> text");
    CHECK(columns_guess("Areas for Improvement", ROLE_TEXT), "improvement -> text");
    CHECK(columns_guess("Narrative Feedback", ROLE_TEXT), "narrative -> text");
    CHECK(!columns_guess("Rotation", ROLE_TEXT), "rotation is not text");
    CHECK(columns_guess("Resident Gender", ROLE_COHORT), "gender -> cohort");
    CHECK(columns_guess("Trainee Sex", ROLE_COHORT), "sex -> cohort");
    CHECK(columns_guess("Evaluation ID", ROLE_ID), "evaluation id -> id");
    CHECK(columns_guess("ID", ROLE_ID), "id -> id");
    CHECK(columns_guess("Resident", ROLE_RESIDENT), "resident -> resident");
    CHECK(!columns_guess("Resident Gender", ROLE_RESIDENT),
          "resident gender is not the resident");
    CHECK(!columns_guess("Resident PGY", ROLE_RESIDENT), "PGY is not the resident");

    const char *names[] = {"Evaluation ID", "Resident Gender", "Strengths"};
    struct diag err;
    CHECK_INT(columns_find(names, 3, "Strengths", "--text", "f.csv", &err), 2,
              "exact name found");
    CHECK_INT(columns_find(names, 3, "Resdent Gender", "--cohort", "f.csv", &err),
              -1, "typo not found");
    CHECK(strstr(err.msg, "did you mean \"Resident Gender\"") != NULL,
          "did you mean");
    CHECK(strstr(err.msg, "\"Evaluation ID\", \"Resident Gender\", \"Strengths\"") != NULL,
          "lists the columns present");
    CHECK_INT(columns_find(names, 3, "strengths ", "--text", "f.csv", &err), -1,
              "names are exact (case and spaces)");
    CHECK(strstr(err.msg, "did you mean \"Strengths\""), "case/space typo suggested");
    CHECK_INT(columns_find(names, 3, "Completely Different", "--id", "f.csv", &err),
              -1, "far name not found");
    CHECK(strstr(err.msg, "did you mean") == NULL, "no wild suggestion");

    struct strvec sv = {0};
    columns_split(&sv, "Strengths,Areas for Improvement,,Overall Comments");
    CHECK(sv.n == 3 && strcmp(sv.v[1], "Areas for Improvement") == 0,
          "comma list split, empty names dropped");
    strvec_fini(&sv);
}

static char *cell(const char *s)
{
    static char out[256];
    memset(out, 0, sizeof out);
    FILE *f = fmemopen(out, sizeof out, "w");
    report_cell_str(f, s);
    fclose(f);
    return out;
}

static void test_cells(void)
{
    CHECK_STR(cell("plain"), "plain", "plain cell unquoted");
    CHECK_STR(cell("a,b"), "\"a,b\"", "comma quoted");
    CHECK_STR(cell("say \"hi\""), "\"say \"\"hi\"\"\"", "quotes doubled");
    CHECK_STR(cell("two\nlines"), "\"two\nlines\"", "newline quoted");
    CHECK_STR(cell("=HYPERLINK(1)"), "\"'=HYPERLINK(1)\"", "formula guarded");
    CHECK_STR(cell("-bossy"), "\"'-bossy\"", "leading minus guarded");
    CHECK_STR(cell("@x"), "\"'@x\"", "leading @ guarded");
    CHECK_STR(cell(""), "", "empty cell");
}

int main(void)
{
    test_cli();
    test_columns();
    test_cells();
    return check_done();
}
