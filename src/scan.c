/* scan.c - one field through normalize -> tokenize -> match -> excerpt
 * (see scan.h). */
#include "scan.h"

void scan_init(struct scan *s)
{
    normtext_init(&s->nt);
    tokens_init(&s->tok);
    hits_init(&s->hits);
    excerpt_init(&s->ex);
    excerpt_cursor_reset(&s->cur);
    sentences_init(&s->sent);
    s->orig = NULL;
    s->orig_len = 0;
}

void scan_fini(struct scan *s)
{
    normtext_fini(&s->nt);
    tokens_fini(&s->tok);
    hits_fini(&s->hits);
    excerpt_fini(&s->ex);
    sentences_fini(&s->sent);
}

size_t scan_text(struct scan *s, const char *text, size_t len)
{
    s->orig = text;
    s->orig_len = len;
    normalize(&s->nt, text, len);
    /* All-ASCII fields (most of them) take the table-driven tokenizer. */
    if (s->nt.ascii)
        tokenize_ascii(&s->tok, s->nt.s, s->nt.len);
    else
        tokenize(&s->tok, s->nt.s, s->nt.len);
    /* A new field: the excerpt cursor starts again from its beginning. */
    excerpt_cursor_reset(&s->cur);
    sentences_reset(&s->sent, text, len);
    s->cur.sent = &s->sent;
    return s->tok.nwords;
}

int scan_match(struct scan *s, matcher *m, struct hits *out,
               struct diag *err)
{
    return matcher_find(m, s->nt.s, s->nt.len, &s->tok, out, err);
}

int scan_field(struct scan *s, matcher *m, const char *text, size_t len,
               size_t *words, struct diag *err)
{
    size_t n = scan_text(s, text, len);
    if (words)
        *words = n;
    return scan_match(s, m, &s->hits, err);
}

const struct excerpt *scan_excerpt(struct scan *s, const struct hit *h)
{
    excerpt_make(&s->ex, &s->cur, s->orig, s->orig_len, &s->nt, h->start,
                 h->end);
    return &s->ex;
}
