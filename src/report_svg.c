/* report_svg.c - inline SVG charts for report.html (see report_svg.h).
 *
 * Geometry is in user units on a fixed 780-wide viewBox that the page
 * scales to its width; numbers are printed with one decimal so the output
 * is byte-identical for the same values. */
#include "report_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "util.h"

#define W 780.0
#define LEFT 210.0    /* labels */
#define RIGHT 200.0   /* value text */
#define ROW 24.0
#define HEAD 22.0     /* group heading row */
#define TOP 8.0
#define AXIS 38.0     /* axis ticks and label below the plot */

static const double plot_w = W - LEFT - RIGHT;

static int new_group(const char *prev, const char *cur)
{
    if (!cur)
        return 0;
    return !prev || strcmp(prev, cur) != 0;
}

/* Height of the rows: one per item plus a heading per new group. */
#define ROWS_HEIGHT(arr, n, out)                                    \
    do {                                                            \
        const char *prev_ = NULL;                                   \
        (out) = 0;                                                  \
        for (size_t i_ = 0; i_ < (n); i_++) {                       \
            if (new_group(prev_, (arr)[i_].group))                  \
                (out) += HEAD;                                      \
            prev_ = (arr)[i_].group ? (arr)[i_].group : prev_;      \
            (out) += ROW;                                           \
        }                                                           \
    } while (0)

/* A "nice" tick step (1, 2 or 5 times a power of ten) for about 5 ticks. */
static double nice_step(double max)
{
    if (!(max > 0))
        return 1;
    double raw = max / 5, p = pow(10, floor(log10(raw))), m = raw / p;
    return p * (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10);
}

static void open_svg(FILE *f, const char *id, double h, const char *title)
{
    fprintf(f, "<svg class=\"chart\" id=\"%s\" viewBox=\"0 0 %.0f %.1f\" "
               "width=\"100%%\" role=\"img\" aria-labelledby=\"%s-t %s-d\" "
               "xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"%s-t\">",
            id, W, h, id, id, id);
    html_str(f, title);
    fprintf(f, "</title>\n<desc id=\"%s-d\">", id);
}

static void label(FILE *f, double x, double y, const char *anchor,
                  const char *cls, const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s%s>", x, y,
            anchor, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    html_str(f, s);
    fputs("</text>\n", f);
}

/* Text is about CHAR_W units a character (12-unit type). A value too long
 * for its column ("zero events in both cohorts; robust prevalence: ...")
 * is wrapped at spaces into lines of at most maxc characters (a longer
 * word is a line of its own). */
#define CHAR_W 6.4

/* The end of the line that starts at s[from]. */
static size_t line_end(const char *s, size_t from, size_t maxc)
{
    size_t chars = 0, cut = 0, i = from;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue;
        if (s[i] == ' ' && i > from)
            cut = i;
        if (++chars > maxc && cut)
            return cut;
    }
    return i;
}

/* The next line's start after a line ending at s[end]. */
static size_t line_next(const char *s, size_t end)
{
    while (s[end] == ' ')
        end++;
    return end;
}

/* How many lines s takes (at least one). */
static size_t wrapped_lines(const char *s, size_t maxc)
{
    size_t n = 0;
    for (size_t p = 0; s[p] || !n; n++)
        p = line_next(s, line_end(s, p, maxc));
    return n;
}

/* s as wrapped_lines' lines, the first at y, each next one step below. */
static void wrapped_label(FILE *f, double x, double y, double step,
                          const char *anchor, const char *cls, const char *s,
                          size_t maxc)
{
    for (size_t p = 0, k = 0; s[p] || !k; k++, y += step) {
        size_t e = line_end(s, p, maxc);
        char *line = xstrndup(s + p, e - p);
        label(f, x, y, anchor, cls, line);
        free(line);
        p = line_next(s, e);
    }
}

/* ------------------------------------------------------------ bar chart */

void svg_bars(FILE *f, const char *id, const char *title, const char *axis,
              const struct svg_bar *b, size_t n)
{
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        double v = b[i].has_ci && b[i].hi > b[i].value ? b[i].hi : b[i].value;
        if (isfinite(v) && v > max)
            max = v;
    }
    double step = nice_step(max > 0 ? max : 1);
    double top = step * ceil((max > 0 ? max : 1) / step);
    double body;
    ROWS_HEIGHT(b, n, body);
    double h = TOP + body + AXIS;
    open_svg(f, id, h, title);
    /* The text alternative: every value, in words. */
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (new_group(prev, b[i].group)) {
            html_str(f, b[i].group);
            fputs(": ", f);
        }
        prev = b[i].group ? b[i].group : prev;
        html_str(f, b[i].label);
        fprintf(f, " %.3f", b[i].value);
        if (b[i].has_ci)
            fprintf(f, " (interval %.3f to %.3f)", b[i].lo, b[i].hi);
        if (b[i].note) {
            fputs(", ", f);
            html_str(f, b[i].note);
        }
        fputs(i + 1 < n ? "; " : ".", f);
    }
    fputs("</desc>\n", f);

    /* grid and axis */
    for (int k = 0; k * step <= top + step / 2; k++) {
        double t = k * step, x = LEFT + plot_w * t / top;
        fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                   "y2=\"%.1f\"/>\n", x, TOP, x, TOP + body);
        char tl[32];
        snprintf(tl, sizeof tl, "%.6g", t);
        label(f, x, TOP + body + 14, "middle", "tick", tl);
    }
    label(f, LEFT + plot_w / 2, TOP + body + 32, "middle", "axis", axis);

    double y = TOP;
    prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (new_group(prev, b[i].group)) {
            label(f, 4, y + 15, "start", "group", b[i].group);
            y += HEAD;
        }
        prev = b[i].group ? b[i].group : prev;
        double cy = y + ROW / 2;
        label(f, LEFT - 8, cy + 4, "end", NULL, b[i].label);
        double v = isfinite(b[i].value) && b[i].value > 0 ? b[i].value : 0;
        fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                   "height=\"%.1f\"/>\n", LEFT, y + 5, plot_w * v / top,
                ROW - 10);
        if (b[i].has_ci) {
            double x1 = LEFT + plot_w * b[i].lo / top;
            double x2 = LEFT + plot_w * b[i].hi / top;
            fprintf(f, "<line class=\"ci\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                       "y2=\"%.1f\"/>\n", x1, cy, x2, cy);
            fprintf(f, "<line class=\"cap\" x1=\"%.1f\" y1=\"%.1f\" "
                       "x2=\"%.1f\" y2=\"%.1f\"/>\n", x1, cy - 5, x1, cy + 5);
            fprintf(f, "<line class=\"cap\" x1=\"%.1f\" y1=\"%.1f\" "
                       "x2=\"%.1f\" y2=\"%.1f\"/>\n", x2, cy - 5, x2, cy + 5);
        }
        char vt[160];
        if (b[i].note)
            snprintf(vt, sizeof vt, "%.2f (%s)", b[i].value, b[i].note);
        else
            snprintf(vt, sizeof vt, "%.2f", b[i].value);
        label(f, W - RIGHT + 8, cy + 4, "start", "val", vt);
        y += ROW;
    }
    fputs("</svg>\n", f);
}

/* ---------------------------------------------------------- forest plot */

/* The value column holds VCHARS characters a line; a longer value (a
 * note on why a ratio is not estimable) wraps, and its row grows by VLINE
 * a line. */
#define VCHARS ((size_t)((RIGHT - 8) / CHAR_W))
#define VLINE 14.0

static double row_height(const struct svg_forest_row *r)
{
    return ROW + VLINE * (double)(wrapped_lines(r->text, VCHARS) - 1);
}

/* Height of a forest plot's rows: each row's, plus a heading per new
 * group. */
static double forest_body(const struct svg_forest_row *r, size_t n,
                          double (*height)(const struct svg_forest_row *))
{
    double body = 0;
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (new_group(prev, r[i].group))
            body += HEAD;
        prev = r[i].group ? r[i].group : prev;
        body += height(&r[i]);
    }
    return body;
}

void svg_forest(FILE *f, const char *id, const char *title,
                const struct svg_forest_row *r, size_t n)
{
    /* The axis spans powers of two around every estimate and bound, and
     * always 1; it is clamped to [1/64, 64] (beyond, a bound is drawn as
     * an arrow at the edge). */
    double lo = 1, hi = 1;
    for (size_t i = 0; i < n; i++) {
        if (!r[i].has_est)
            continue;
        double a[3] = {r[i].est, r[i].has_ci ? r[i].lo : r[i].est,
                       r[i].has_ci && !r[i].hi_inf ? r[i].hi : r[i].est};
        for (int k = 0; k < 3; k++)
            if (isfinite(a[k]) && a[k] > 0) {
                if (a[k] < lo)
                    lo = a[k];
                if (a[k] > hi)
                    hi = a[k];
            }
    }
    double l2 = floor(log2(lo)), h2 = ceil(log2(hi));
    if (l2 < -6)
        l2 = -6;
    if (h2 > 6)
        h2 = 6;
    if (h2 - l2 < 2) {
        l2 = l2 > -1 ? -1 : l2;
        h2 = h2 < 1 ? 1 : h2;
    }
    double span = h2 - l2;
#define XPOS(v) (LEFT + plot_w * (fmin(fmax(log2(v), l2), h2) - l2) / span)

    double body = forest_body(r, n, row_height);
    double h = TOP + body + AXIS;
    open_svg(f, id, h, title);
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (new_group(prev, r[i].group)) {
            html_str(f, r[i].group);
            fputs(": ", f);
        }
        prev = r[i].group ? r[i].group : prev;
        html_str(f, r[i].label);
        fputs(" rate ratio ", f);
        html_str(f, r[i].text);
        fputs(i + 1 < n ? "; " : ".", f);
    }
    if (!n)
        fputs("No comparison.", f);
    fputs("</desc>\n", f);

    int every = span > 8 ? 2 : 1;
    for (double e = l2; e <= h2; e += every) {
        double x = LEFT + plot_w * (e - l2) / span;
        fprintf(f, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                   "y2=\"%.1f\"/>\n", e == 0 ? "ref" : "grid", x, TOP, x,
                TOP + body);
        char tl[32];
        snprintf(tl, sizeof tl, "%g", exp2(e));
        label(f, x, TOP + body + 14, "middle", "tick", tl);
    }
    label(f, LEFT + plot_w / 2, TOP + body + 32, "middle", "axis",
          "rate ratio (log scale; 1 = same rate as the reference)");

    double y = TOP;
    prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (new_group(prev, r[i].group)) {
            label(f, 4, y + 15, "start", "group", r[i].group);
            y += HEAD;
        }
        prev = r[i].group ? r[i].group : prev;
        double cy = y + ROW / 2;
        label(f, LEFT - 8, cy + 4, "end", NULL, r[i].label);
        if (r[i].has_est && r[i].has_ci) {
            double x1 = XPOS(r[i].lo > 0 ? r[i].lo : exp2(l2));
            double x2 = r[i].hi_inf ? LEFT + plot_w : XPOS(r[i].hi);
            fprintf(f, "<line class=\"ci\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                       "y2=\"%.1f\"/>\n", x1, cy, x2, cy);
            if (r[i].hi_inf || r[i].hi > exp2(h2))
                fprintf(f, "<path class=\"arrow\" d=\"M%.1f %.1fl-7 -4v8z\"/>\n",
                        LEFT + plot_w, cy);
            if (r[i].lo < exp2(l2))
                fprintf(f, "<path class=\"arrow\" d=\"M%.1f %.1fl7 -4v8z\"/>\n",
                        LEFT, cy);
        }
        if (r[i].has_est) {
            fprintf(f, "<rect class=\"pt%s\" x=\"%.1f\" y=\"%.1f\" width=\"9\" "
                       "height=\"9\"/>\n", r[i].significant ? " sig" : "",
                    XPOS(r[i].est) - 4.5, cy - 4.5);
        } else {
            label(f, LEFT + plot_w / 2, cy + 4, "middle", "na",
                  "not estimable");
        }
        wrapped_label(f, W - RIGHT + 8, cy + 4, VLINE, "start", "val",
                      r[i].text, VCHARS);
        y += row_height(&r[i]);
    }
    fputs("</svg>\n", f);
#undef XPOS
}

/* ------------------------------------------- forest plot, narrow drawing */

/* For a phone: 360 units wide, drawn about 1:1 at 390 px, so 12-unit text
 * stays 12 px. Each row is its label (and value) on a line of its own
 * above a full-width interval line; a value that does not fit beside the
 * label goes on a second line. */
#define NW 360.0
#define NPAD 22.0
#define NTEXT 17.0    /* one text line */
#define NPLOT 18.0    /* the interval line */

static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Does "label  text" fit on one line? */
static int fits_one_line(const struct svg_forest_row *r)
{
    return (double)(utf8_len(r->label) + utf8_len(r->text) + 2) * CHAR_W <
           NW - 8;
}

/* Characters on a line of their own. */
#define NCHARS ((size_t)((NW - 8) / CHAR_W))

/* How many lines a row's value takes below its label (0: beside it). */
static size_t value_lines(const struct svg_forest_row *r)
{
    return fits_one_line(r) ? 0 : wrapped_lines(r->text, NCHARS);
}

/* A row: its label (and value) line, its value's own lines, the plot. */
static double narrow_row_height(const struct svg_forest_row *r)
{
    return NTEXT + NPLOT + (double)value_lines(r) * NTEXT;
}

void svg_forest_narrow(FILE *f, const char *id, const char *title,
                       const struct svg_forest_row *r, size_t n)
{
    double lo = 1, hi = 1;
    for (size_t i = 0; i < n; i++) {
        if (!r[i].has_est)
            continue;
        double a[3] = {r[i].est, r[i].has_ci ? r[i].lo : r[i].est,
                       r[i].has_ci && !r[i].hi_inf ? r[i].hi : r[i].est};
        for (int k = 0; k < 3; k++)
            if (isfinite(a[k]) && a[k] > 0) {
                lo = a[k] < lo ? a[k] : lo;
                hi = a[k] > hi ? a[k] : hi;
            }
    }
    double l2 = fmax(floor(log2(lo)), -6), h2 = fmin(ceil(log2(hi)), 6);
    if (h2 - l2 < 2) {
        l2 = l2 > -1 ? -1 : l2;
        h2 = h2 < 1 ? 1 : h2;
    }
    double span = h2 - l2, pw = NW - 2 * NPAD;
#define NXPOS(v) (NPAD + pw * (fmin(fmax(log2(v), l2), h2) - l2) / span)

    double body = forest_body(r, n, narrow_row_height);
    double h = TOP + body + AXIS;
    const char *prev;
    fprintf(f, "<svg class=\"chart narrow\" id=\"%s\" viewBox=\"0 0 %.0f "
               "%.1f\" width=\"100%%\" role=\"img\" aria-labelledby=\"%s-t "
               "%s-d\" xmlns=\"http://www.w3.org/2000/svg\">\n<title "
               "id=\"%s-t\">", id, NW, h, id, id, id);
    html_str(f, title);
    fprintf(f, "</title>\n<desc id=\"%s-d\">", id);
    prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (new_group(prev, r[i].group)) {
            html_str(f, r[i].group);
            fputs(": ", f);
        }
        prev = r[i].group ? r[i].group : prev;
        html_str(f, r[i].label);
        fputs(" rate ratio ", f);
        html_str(f, r[i].text);
        fputs(i + 1 < n ? "; " : ".", f);
    }
    fputs("</desc>\n", f);

    for (double e = l2; e <= h2; e += span > 6 ? 2 : 1) {
        double x = NPAD + pw * (e - l2) / span;
        fprintf(f, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                   "y2=\"%.1f\"/>\n", e == 0 ? "ref" : "grid", x, TOP, x,
                TOP + body);
        char tl[32];
        snprintf(tl, sizeof tl, "%g", exp2(e));
        label(f, x, TOP + body + 14, "middle", "tick", tl);
    }
    label(f, NW / 2, TOP + body + 32, "middle", "axis",
          "rate ratio (log scale; 1 = no difference)");

    double y = TOP;
    prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (new_group(prev, r[i].group)) {
            label(f, 4, y + 15, "start", "group", r[i].group);
            y += HEAD;
        }
        prev = r[i].group ? r[i].group : prev;
        label(f, 4, y + 13, "start", NULL, r[i].label);
        size_t vl = value_lines(&r[i]);
        if (!vl)
            label(f, NW - 4, y + 13, "end", "val", r[i].text);
        else
            wrapped_label(f, NW - 4, y + NTEXT + 13, NTEXT, "end", "val",
                          r[i].text, NCHARS);
        y += NTEXT * (double)(vl + 1);
        double cy = y + NPLOT / 2;
        if (r[i].has_est && r[i].has_ci) {
            double x1 = NXPOS(r[i].lo > 0 ? r[i].lo : exp2(l2));
            double x2 = r[i].hi_inf ? NPAD + pw : NXPOS(r[i].hi);
            fprintf(f, "<line class=\"ci\" x1=\"%.1f\" y1=\"%.1f\" "
                       "x2=\"%.1f\" y2=\"%.1f\"/>\n", x1, cy, x2, cy);
        }
        if (r[i].has_est)
            fprintf(f, "<rect class=\"pt%s\" x=\"%.1f\" y=\"%.1f\" "
                       "width=\"9\" height=\"9\"/>\n",
                    r[i].significant ? " sig" : "", NXPOS(r[i].est) - 4.5,
                    cy - 4.5);
        y += NPLOT;
    }
    fputs("</svg>\n", f);
#undef NXPOS
}
