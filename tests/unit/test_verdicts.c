/* test_verdicts.c - the statistics of `evalbias review import` against
 * reference values computed with Debian's python3-statsmodels 0.13.5
 * (statsmodels.stats.inter_rater.cohens_kappa and fleiss_kappa,
 * statsmodels.stats.proportion.proportion_confint(method="wilson")):
 *
 *   a = [0,0,1,2,1,0,1,1,2,0,0,1]; b = [0,1,1,2,1,0,0,1,1,0,2,1]
 *   cohens_kappa(crosstab(a, b)).kappa          = 0.46666666666666662
 *   fleiss_kappa([[3,0,0],[1,2,0],[0,2,1],[0,0,3],[2,0,1],[1,1,1],[0,3,0]])
 *                                               = 0.35273972602739728
 *   proportion_confint(7, 10, method="wilson")  = (0.39677814746114537,
 *                                                  0.89220873259369893)
 *   (0, 5) -> (0, 0.43448246478317487); (5, 5) -> (0.56551753521682524, 1);
 *   (1, 3) -> (0.061491944720396263, 0.79234039919795229) */
#include "check.h"
#include "verdicts.h"

#include <math.h>

static int near(double a, double b)
{
    return fabs(a - b) <= 1e-12 * (fabs(b) > 1 ? fabs(b) : 1);
}

int main(void)
{
    int a[] = {0, 0, 1, 2, 1, 0, 1, 1, 2, 0, 0, 1};
    int b[] = {0, 1, 1, 2, 1, 0, 0, 1, 1, 0, 2, 1};
    double po, pe;
    double k = verdicts_cohen_kappa(a, b, 12, 3, &po, &pe);
    CHECK(near(k, 0.46666666666666662), "Cohen's kappa = statsmodels'");
    CHECK(near(po, 8.0 / 12), "observed agreement 8 of 12");
    int c[] = {3, 0, 0, 1, 2, 0, 0, 2, 1, 0, 0, 3, 2, 0, 1, 1, 1, 1, 0, 3, 0};
    k = verdicts_fleiss_kappa(c, 7, 3, &po, &pe);
    CHECK(near(k, 0.35273972602739728), "Fleiss' kappa = statsmodels'");
    static const struct {
        double x, n, lo, hi;
    } w[] = {{7, 10, 0.39677814746114537, 0.89220873259369893},
             {0, 5, 0, 0.43448246478317487},
             {5, 5, 0.56551753521682524, 1},
             {1, 3, 0.061491944720396263, 0.79234039919795229}};
    for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
        double lo, hi;
        verdicts_wilson(w[i].x, w[i].n, 1.959963984540054, &lo, &hi);
        char d[64];
        snprintf(d, sizeof d, "Wilson interval of %g/%g = statsmodels'",
                 w[i].x, w[i].n);
        CHECK(near(lo, w[i].lo) && near(hi, w[i].hi), d);
    }
    /* Perfect agreement on one category only: chance agreement 1, kappa
     * not defined (statsmodels gives nan too). */
    int s[] = {1, 1, 1};
    CHECK(isnan(verdicts_cohen_kappa(s, s, 3, 3, NULL, NULL)),
          "kappa not defined when chance agreement is 1");
    return check_done();
}
