/* html.h - the small HTML writer both HTML outputs (report.html, review.html)
 * share: escaping, and a Content-Security-Policy that lets only the page's
 * own inline script run.
 *
 * Every piece of evaluation text reaches a page through html_text, which
 * escapes & < > " ' so the same call is safe in element content and in a
 * double- or single-quoted attribute value. Pages never put evaluation text
 * inside <script> or <style>.
 *
 * Defence in depth: html_head_csp writes a CSP meta tag with
 * default-src 'none' (no network request of any kind, no external asset)
 * and script-src restricted to the SHA-256 hash of the page's one inline
 * script, so even a markup injection that escaped html_text could not run
 * script (no inline handlers, no other <script>).
 *
 * Ownership: pointer arguments are borrowed; nothing here allocates. */
#ifndef EVALBIAS_HTML_H
#define EVALBIAS_HTML_H

#include <stddef.h>
#include <stdio.h>

/* Write s[0..n) escaped for HTML text or a quoted attribute value. NUL
 * bytes and C0 controls other than tab and line breaks (never valid in
 * HTML) are written as U+FFFD. */
void html_text(FILE *f, const char *s, size_t n);
void html_str(FILE *f, const char *s);

/* The same inside <bdi>...</bdi>, for input text in element content: the
 * text's direction is its own (a right-to-left name keeps its order) and
 * its bidi controls (an unclosed U+202E) end at </bdi> instead of
 * reversing what follows on the line. Every piece of input text a page
 * shows inline goes through these, or sits in an element with dir="auto". */
void html_bdi(FILE *f, const char *s, size_t n);
void html_bdi_str(FILE *f, const char *s);

/* The <meta http-equiv="Content-Security-Policy"> tag for a page whose only
 * script is exactly `script` (the text between <script> and </script>). */
void html_head_csp(FILE *f, const char *script);

/* Base64 (RFC 4648, with padding) of n bytes into out, which must hold
 * 4 * ((n + 2) / 3) + 1 bytes. */
void html_base64(const unsigned char *p, size_t n, char *out);

#endif
