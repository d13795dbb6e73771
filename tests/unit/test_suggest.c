/* test_suggest.c - edit distance and "did you mean". */
#include "check.h"
#include "suggest.h"

int main(void)
{
    CHECK_INT(suggest_distance("", ""), 0, "empty strings");
    CHECK_INT(suggest_distance("audit", "audit"), 0, "equal");
    CHECK_INT(suggest_distance("audit", "AUDIT"), 0, "ASCII case ignored");
    CHECK_INT(suggest_distance("kitten", "sitting"), 3, "classic example");
    CHECK_INT(suggest_distance("auidt", "audit"), 1, "a transposition is one edit");
    CHECK_INT(suggest_distance("", "merge"), 5, "insertions");

    static const char *const cmds[] = {"audit", "columns", "lexicon", "merge"};
    CHECK_STR(suggest_closest("audt", cmds, 4), "audit", "one deletion");
    CHECK_STR(suggest_closest("auidt", cmds, 4), "audit", "transposition");
    CHECK_STR(suggest_closest("lexicn", cmds, 4), "lexicon", "lexicon");
    CHECK_STR(suggest_closest("colums", cmds, 4), "columns", "columns");
    CHECK_STR(suggest_closest("aud", cmds, 4), "audit", "a prefix");
    CHECK(suggest_closest("frobnicate", cmds, 4) == NULL, "nothing close");
    CHECK(suggest_closest("x", cmds, 4) == NULL, "one letter is not close");

    static const char *const cols[] = {"Resident Gender", "Evaluator Gender",
                                       NULL, "Comments"};
    CHECK_STR(suggest_closest("resident gendr", cols, 4), "Resident Gender",
              "column names, NULL skipped");
    return check_done();
}
