/* negation.h - negation whose scope reaches past match.c's window.
 *
 * match.c negates a hit when a negator stands within NEGATION_WINDOW (3)
 * words before it. Real prose reaches further, through verbs of describing,
 * seeing and perceiving and through negating noun and prepositional
 * phrases:
 *
 *   "I would never call him abrasive"        never -> call him -> hit
 *   "never once seemed overly emotional"     never once -> seemed -> hit
 *   "I have not seen her be dismissive"      not -> seen her be -> hit
 *   "no one would describe her as pushy"     no -> one would describe ...
 *   "there was no sign at all of arrogance"  no -> sign at all of -> hit
 *   "without ever being condescending"       without -> ever being -> hit
 *
 * Rule: walking back from the hit, within its clause, over words that are
 * all in the transparent set (negation.c: auxiliaries and modals, verbs of
 * calling, describing, considering, seeming, seeing, finding, noticing,
 * showing; pronouns and "the resident"; determiners, "as", "to", "of";
 * degree words; "sign", "evidence", "hint", "trace", "once", "ever", "at
 * all"), at most NEGATION_REACH words, a negator (match_is_negator, not a
 * pseudo-negation) negates the hit. "not once", "never once", "at no
 * point", "at no time" negate to the end of the clause whatever words
 * stand between. The walk stops at a sentence/clause break, a comma, and
 * at and, but, or, yet, although, though, while, whereas, however.
 *
 * Linear: at most NEGATION_REACH words per hit (a strong marker search is
 * bounded the same way, by the clause start), one hash probe per word
 * (wordtab.h). */
#ifndef EVALBIAS_NEGATION_H
#define EVALBIAS_NEGATION_H

#include <stddef.h>

#include "tokenize.h"

#define NEGATION_REACH 12

/* Is the hit whose first word is token `first` of normalized text s
 * (tokens tk) negated by the extended scope above? */
int negation_reaches(const char *s, const struct tokens *tk, size_t first);

#endif
