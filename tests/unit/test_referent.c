/* test_referent.c - unit tests for referent.c (whom a hit describes),
 * negation.c (negation reaching through verbs of describing and
 * perceiving) and their use by the matcher (category keys referent=exempt,
 * negation=deficit). Sentences are written from the rules in referent.h
 * and negation.h, one or more per rule; text goes through the real
 * normalizer, tokenizer and matcher. */
#include "check.h"

#include "lexicon.h"
#include "match.h"
#include "negation.h"
#include "normalize.h"
#include "referent.h"
#include "tokenize.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whom the first occurrence of word `w` in `text` describes, as the
 * excerpts.csv label ("" for the resident). */
static const char *who(const char *text, const char *w)
{
    static char label[64];
    struct normtext nt;
    struct tokens tk;
    struct referent_ctx rc;
    normtext_init(&nt);
    tokens_init(&tk);
    referent_init(&rc);
    normalize(&nt, text, strlen(text));
    tokenize(&tk, nt.s, nt.len);
    referent_prepare(&rc, nt.s, nt.len, &tk);
    strcpy(label, "(word not found)");
    for (size_t i = 0; i < tk.n; i++)
        if (tk.v[i].end - tk.v[i].start == strlen(w) &&
            memcmp(nt.s + tk.v[i].start, w, strlen(w)) == 0) {
            struct referent r = referent_of(&rc, i, i + 1);
            referent_label(&r, label, sizeof label);
            break;
        }
    referent_fini(&rc);
    tokens_fini(&tk);
    normtext_fini(&nt);
    return label;
}

static int neg(const char *text, const char *w)
{
    struct normtext nt;
    struct tokens tk;
    normtext_init(&nt);
    tokens_init(&tk);
    normalize(&nt, text, strlen(text));
    tokenize(&tk, nt.s, nt.len);
    int r = -1;
    for (size_t i = 0; i < tk.n; i++)
        if (tk.v[i].end - tk.v[i].start == strlen(w) &&
            memcmp(nt.s + tk.v[i].start, w, strlen(w)) == 0) {
            r = negation_reaches(nt.s, &tk, i);
            break;
        }
    tokens_fini(&tk);
    normtext_fini(&nt);
    return r;
}

struct rcase {
    const char *text, *word, *want;
};

static const struct rcase cases[] = {
    /* the resident: pronouns, "the resident", "Dr. X", names */
    {"She was aggressive with consultants.", "aggressive", ""},
    {"He can be abrasive on rounds.", "abrasive", ""},
    {"The resident was confident presenting.", "confident", ""},
    {"Dr. Lee is emotional at times.", "emotional", ""},
    {"Sarah was pushy with the nurses.", "pushy", ""},
    {"Patients find her warm.", "warm", ""},
    {"Nurses describe him as arrogant.", "arrogant", ""},
    {"Patients consistently described Riley as warm.", "warm", ""},
    {"The team appreciated her warm manner.", "warm", ""},
    {"The patient thanked her for being so kind.", "kind", ""},
    {"Nurses commented on how thorough she was.", "thorough", ""},
    {"She remained patient with an anxious family.", "patient", ""},
    {"She is a kind colleague to everyone.", "kind", ""},
    {"He is an aggressive surgeon in the OR.", "aggressive", ""},
    {"Patients and nurses found her diligent and thorough.", "thorough",
     ""},
    {"She yelled at the nurse and was aggressive.", "aggressive", ""},
    {"Although the patient was hostile, she stayed calm.", "calm", ""},
    {"Works well with nurses, who find her approachable.", "approachable",
     ""},
    /* the attached noun */
    {"He calmed a combative patient.", "combative", "other:patient"},
    {"Managed an aggressive nurse with tact.", "aggressive", "other:nurse"},
    {"Saw a pleasant 67-year-old man with chest pain.", "pleasant",
     "other:patient"},
    {"Comforted an emotional mother in the NICU.", "emotional",
     "other:relative"},
    {"Supervised a timid intern overnight.", "timid", "other:colleague"},
    /* a verb opening a fragment: the noun after it is its object */
    {"Leads family meetings with authority.", "leads", ""},
    {"Answered the nurses curtly.", "curtly", ""},
    {"Tired patients were combative.", "combative", "other:patient"},
    /* an adverb in -ly tells how the clause's subject acts */
    {"Empathetically handles pts in crisis.", "empathetically", ""},
    {"Greets every family warmly.", "warmly", ""},
    {"The patient responded curtly to her.", "curtly", "other:patient"},
    {"A friendly nurse helped.", "friendly", "other:nurse"},
    /* fragments, prepositions, infinitives */
    {"A quiet, thoughtful intern.", "thoughtful", ""},
    {"Despite two young children at home, she is excellent.", "despite",
     ""},
    {"Encouraged the nurses to speak up.", "speak", "other:nurse"},
    {"Encouraged him to speak up.", "speak", ""},
    /* a patient noun at a clause start, before or after an -ed word */
    {"Patient intoxicated and abrasive toward staff.", "abrasive",
     "other:patient"},
    {"Intoxicated patient, belligerent and aggressive.", "aggressive",
     "other:patient"},
    {"Her MA was judgmental with the patient.", "judgmental", "other:staff"},
    /* the clause subject */
    {"The patient was combative.", "combative", "other:patient"},
    {"The family was tearful.", "tearful", "other:relative"},
    {"The patient's daughter became quite emotional.", "emotional",
     "other:relative"},
    {"The patient was agitated and aggressive.", "aggressive",
     "other:patient"},
    {"She stayed calm when the patient became aggressive.", "aggressive",
     "other:patient"},
    {"The nurses were intimidated and upset.", "upset", "other:nurse"},
    {"Pt was hostile toward staff.", "hostile", "other:patient"},
    {"The attending was demanding on rounds.", "demanding",
     "other:attending"},
    {"The consultant was dismissive of her plan.", "dismissive",
     "other:consultant"},
    {"The junior residents were anxious before the exam.", "anxious",
     "other:colleague"},
    {"Her co-resident was condescending.", "condescending",
     "other:colleague"},
    {"The team was frustrated by the delays.", "frustrated", "other:team"},
    {"She reassured the family, who were emotional.", "emotional",
     "other:relative"},
    {"The parents were upset. They were hostile toward staff.", "hostile",
     "other:relative"},
    {"I am confident she will succeed.", "confident", "other:evaluator"},
    {"The patient's anxiety was high.", "anxiety", "other:patient"},
    {"Her confidence grew on nights.", "confidence", ""},
    /* quotation */
    {"She told him \"you are being aggressive\" and left.", "aggressive",
     "quoted:quotation"},
    {"She said \u201cI know this is emotional\u201d to the family.",
     "emotional", "quoted:quotation"},
    {"The note read 'patient aggressive overnight'.", "aggressive",
     "quoted:quotation"},
    {"Nurses called her \"bossy\" at times.", "bossy", ""},
    {"She has been described as \"abrasive\" by staff.", "abrasive", ""},
    {"An unpaired \" quote does not quote: she was abrasive.", "abrasive",
     ""},
    /* reported speech and mention */
    {"She told the family that their son was aggressive.", "aggressive",
     "quoted:reported speech"},
    {"Explained to the patient that feeling emotional is normal.",
     "emotional", "quoted:reported speech"},
    {"Pt states he feels anxious at night.", "anxious",
     "quoted:reported speech"},
    {"Gave a talk on words such as bossy and abrasive.", "abrasive",
     "quoted:mention"},
    {"Led a workshop about gendered descriptors.", "gendered",
     "quoted:mention"},
    {"She avoided the word aggressive in her notes.", "aggressive",
     "quoted:mention"},
    {"The nurses said she was rude.", "rude", ""},
};

struct ncase {
    const char *text, *word;
    int want;
};

static const struct ncase ncases[] = {
    {"I would never call him abrasive.", "abrasive", 1},
    {"She never once seemed overly emotional.", "emotional", 1},
    {"I have not seen her be dismissive.", "dismissive", 1},
    {"No one would describe her as pushy.", "pushy", 1},
    {"There was no sign at all of arrogance.", "arrogance", 1},
    {"Without ever being condescending, she corrected the plan.",
     "condescending", 1},
    {"Not once in four weeks did she act arrogant.", "arrogant", 1},
    {"At no point was she rude to the nurses.", "rude", 1},
    {"I have not seen her lose her temper; she is abrasive.", "abrasive",
     0},
    {"She did not hesitate and was assertive.", "assertive", 0},
    {"Not only skilled but also assertive in the OR.", "assertive", 0},
    {"I have no doubt she will be assertive.", "assertive", 0},
    {"She did not finish the notes on time, and was curt.", "curt", 0},
    /* each branch of the walk (negation.c's word table) */
    {"At no point, I have no doubt, was she rude.", "rude", 0},
    {"Never once, in four weeks, was she rude.", "rude", 1},
    {"She hardly, in my view, seemed rude.", "rude", 0},
    {"She wasn't ever rude.", "rude", 1},
    {"She was not uncharacteristically rude.", "rude", 0},
    {"I would not particularly call her rude.", "rude", 1},
    {"She did not merely seem rude.", "rude", 0},
    {"There was nothing short of arrogance.", "arrogance", 0},
    {"Not once did we think of her as rude.", "rude", 1},
    {"She was not at all rude.", "rude", 1},
    {"She was not curt yet rude.", "rude", 0},
    {"She is not, however, rude.", "rude", 0},
};

/* The matcher: category keys and set-aside hits. */
static struct lexicon_set *two_categories(void)
{
    struct lexicon_set *set = lexicon_set_new();
    uint32_t l = lexicon_set_add_lexicon(set, "t", "t.csv");
    uint32_t conf = lexicon_set_add_category(set, l, "confidence");
    uint32_t life = lexicon_set_add_category(set, l, "personal_life");
    uint32_t pers = lexicon_set_add_category(set, l, "personality");
    set->categories[conf].negation_deficit = 1;
    set->categories[life].referent_exempt = 1;
    const char *terms[][2] = {{"confident", NULL}, {"husband", NULL},
                              {"emotional", NULL}};
    uint32_t cats[] = {conf, life, pers};
    for (size_t i = 0; i < 3; i++) {
        struct lex_entry *e = lexicon_set_add_entry(set, cats[i], terms[i][0]);
        char msg[128];
        size_t col;
        wordseq_parse(&e->seq, terms[i][0], strlen(terms[i][0]), msg,
                      sizeof msg, &col);
        e->kind = ENTRY_WORD;
        e->line = i + 1;
    }
    return set;
}

static int first_hit(matcher *m, const char *text, struct hit *out)
{
    struct normtext nt;
    struct tokens tk;
    struct hits h;
    struct diag err = {0};
    normtext_init(&nt);
    tokens_init(&tk);
    hits_init(&h);
    normalize(&nt, text, strlen(text));
    tokenize(&tk, nt.s, nt.len);
    int n = -1;
    if (matcher_find(m, nt.s, nt.len, &tk, &h, &err) == 0) {
        n = (int)h.n;
        if (h.n)
            *out = h.v[0];
    }
    hits_fini(&h);
    tokens_fini(&tk);
    normtext_fini(&nt);
    return n;
}

/* referent_prepare_classes with the classes given (as match.c's word
 * cache gives them) judges every token as referent_prepare does. */
static int same_with_classes(const char *text)
{
    struct normtext nt;
    struct tokens tk;
    struct referent_ctx a, b;
    normtext_init(&nt);
    tokens_init(&tk);
    referent_init(&a);
    referent_init(&b);
    normalize(&nt, text, strlen(text));
    tokenize(&tk, nt.s, nt.len);
    uint32_t *cls = xmalloc((tk.n ? tk.n : 1) * sizeof *cls);
    for (size_t i = 0; i < tk.n; i++)
        cls[i] = referent_word_class(nt.s + tk.v[i].start,
                                     tk.v[i].end - tk.v[i].start);
    referent_prepare(&a, nt.s, nt.len, &tk);
    referent_prepare_classes(&b, nt.s, nt.len, &tk, cls);
    int same = 1;
    for (size_t i = 0; i < tk.n && same; i++) {
        struct referent x = referent_of(&a, i, i + 1);
        struct referent y = referent_of(&b, i, i + 1);
        same = x.kind == y.kind && strcmp(x.why, y.why) == 0;
    }
    free(cls);
    referent_fini(&a);
    referent_fini(&b);
    tokens_fini(&tk);
    normtext_fini(&nt);
    return same;
}

int main(void)
{
    char d[512];
    int all = 1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        all = all && same_with_classes(cases[i].text);
    CHECK(all, "referent_prepare_classes: the same judgements");
    CHECK(referent_word_class("patient", 7) != 0 &&
              referent_word_class("nurse's", 7) ==
                  referent_word_class("nurse", 5) &&
              referent_word_class("confident", 9) == 0,
          "referent_word_class: a person noun, a possessive, another word");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(d, sizeof d, "referent of \"%s\" in \"%s\" is \"%s\"",
                 cases[i].word, cases[i].text, cases[i].want);
        CHECK_STR(who(cases[i].text, cases[i].word), cases[i].want, d);
    }
    for (size_t i = 0; i < sizeof ncases / sizeof ncases[0]; i++) {
        snprintf(d, sizeof d, "\"%s\" in \"%s\" %s by the extended scope",
                 ncases[i].word, ncases[i].text,
                 ncases[i].want ? "negated" : "not negated");
        CHECK(neg(ncases[i].text, ncases[i].word) == ncases[i].want, d);
    }

    struct lexicon_set *set = two_categories();
    struct diag err = {0};
    matcher *m = matcher_new(set, &err);
    struct hit h;
    CHECK(first_hit(m, "She is not yet confident presenting.", &h) == 1 &&
              !h.negated && !h.aside,
          "negation=deficit: \"not yet confident\" is a counted hit");
    CHECK(first_hit(m, "She is not emotional.", &h) == 1 && h.negated,
          "a category without the key: \"not emotional\" stays negated");
    CHECK(first_hit(m, "Her husband is a surgeon.", &h) == 1 && !h.aside,
          "referent=exempt: \"her husband\" is counted");
    CHECK(first_hit(m, "The patient was emotional.", &h) == 1 &&
              h.aside == REF_OTHER && strcmp(h.why, "patient") == 0,
          "a hit about the patient is kept apart as other:patient");
    CHECK(first_hit(m, "She said \"stay confident\" to the intern.", &h) ==
                  1 &&
              h.aside == REF_QUOTED,
          "a quoted hit is kept apart even in a deficit category");
    CHECK(first_hit(m, "The patient's husband was emotional.", &h) == 2 &&
              !h.aside,
          "exempt category counts a relative's husband (documented limit)");
    matcher_free(m);
    lexicon_set_free(set);
    return check_done();
}
