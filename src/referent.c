/* referent.c - whom a hit describes (see referent.h for the rules).
 *
 * referent_prepare passes over the tokens and notes, per token: its word
 * class (one probe in words_tab, built from WORDS below), the clause and
 * sentence it is in, whether it is a person mention and whom it names, and
 * whether it lies in quoted or reported text. A clause's subject (its
 * first mention that is not the object of a preposition, or the
 * antecedent of a relative pronoun at its start) is noted at the clause's
 * first token, together with the referent the clause passes to the next
 * clause of its sentence.
 * referent_of then looks at a few tokens around the hit and walks back
 * within its clause. */
#include "referent.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "wordtab.h"

/* Word classes (bits). */
enum {
    W_OTHER = 1 << 0,   /* a person other than the resident (noun) */
    W_RES = 1 << 1,     /* the resident: she, he, her, him, dr, resident */
    W_EVAL = 1 << 2,    /* the evaluator: i, me, we, us */
    W_THEY = 1 << 3,    /* they, them, their: resolved to a group or the
                           resident */
    W_GROUP = 1 << 4,   /* with W_OTHER: plural or collective */
    W_DET = 1 << 5,     /* determiner or possessive determiner */
    W_POSS = 1 << 6,    /* a possessive pronoun (her, his, their, my, our) */
    W_PREP = 1 << 7,    /* preposition */
    W_COP = 1 << 8,     /* copula or linking verb */
    W_SPLIT = 1 << 9,   /* conjunction or subordinator: a clause starts */
    W_REL = 1 << 10,    /* who whom whose which that */
    W_TELL = 1 << 11,   /* reporting verb with an addressee (told ...) */
    W_STATE = 1 << 12,  /* reporting verb of a patient (states ...) */
    W_MENTION = 1 << 13,/* word, term, label ... (a mention trigger) */
    W_TALK = 1 << 14,   /* talk, lecture, workshop ... */
    W_INTENS = 1 << 15, /* very, quite, so, more ... */
    W_MODOTHER = 1 << 16, /* junior, other, another, fellow: "resident" is
                             someone else after these */
    W_TEAMCOMP = 1 << 17, /* player, member ...: "team player" is no team */
    W_VERB = 1 << 18,   /* other verbs and function words that end a noun
                           phrase (has, had, not ...) */
    W_BARE_PATIENT = 1 << 19, /* "patient": a noun or an adjective */
    W_SUCH = 1 << 20,   /* such, like, including: after a mention trigger */
    W_AGE = 1 << 21,    /* year, years, yo ...: after a number, a patient */
    W_CONTENT = 1 << 22,/* that, not, how, why, what, whether: reported
                           content starts */
    W_DESCR = 1 << 23,  /* described, called, labeled: "described as" */
};

enum who {
    WHO_NONE, WHO_PATIENT, WHO_RELATIVE, WHO_NURSE, WHO_STAFF, WHO_STUDENT,
    WHO_COLLEAGUE, WHO_ATTENDING, WHO_CONSULTANT, WHO_TEAM, WHO_EVALUATOR,
};

static const char *const who_name[] = {
    "", "patient", "relative", "nurse", "staff", "student", "colleague",
    "attending", "consultant", "team", "evaluator",
};

struct word {
    const char *w;
    uint32_t cls;
    uint8_t who;
};

#define O W_OTHER
#define G (W_OTHER | W_GROUP)
/* The table: person nouns by kind, then function words, in reading order
 * (looked up by hash: words_tab). */
static const struct word WORDS[] = {
    /* patients */
    {"patients", G, WHO_PATIENT}, {"pt", O, WHO_PATIENT},
    {"pts", G, WHO_PATIENT}, {"man", O, WHO_PATIENT},
    {"men", G, WHO_PATIENT}, {"woman", O, WHO_PATIENT},
    {"women", G, WHO_PATIENT}, {"gentleman", O, WHO_PATIENT},
    {"gentlemen", G, WHO_PATIENT}, {"lady", O, WHO_PATIENT},
    {"ladies", G, WHO_PATIENT}, {"boy", O, WHO_PATIENT},
    {"boys", G, WHO_PATIENT}, {"girl", O, WHO_PATIENT},
    {"girls", G, WHO_PATIENT}, {"child", O, WHO_PATIENT},
    {"children", G, WHO_PATIENT}, {"kid", O, WHO_PATIENT},
    {"kids", G, WHO_PATIENT}, {"infant", O, WHO_PATIENT},
    {"infants", G, WHO_PATIENT}, {"baby", O, WHO_PATIENT},
    {"babies", G, WHO_PATIENT}, {"toddler", O, WHO_PATIENT},
    {"adolescent", O, WHO_PATIENT}, {"adolescents", G, WHO_PATIENT},
    {"teen", O, WHO_PATIENT}, {"teenager", O, WHO_PATIENT},
    {"newborn", O, WHO_PATIENT}, {"neonate", O, WHO_PATIENT},
    {"client", O, WHO_PATIENT}, {"clients", G, WHO_PATIENT},
    {"inpatient", O, WHO_PATIENT}, {"outpatient", O, WHO_PATIENT},
    {"primip", O, WHO_PATIENT}, {"multip", O, WHO_PATIENT},
    {"laboring", 0, WHO_NONE},
    /* relatives (of a patient; the resident's own are the exempt
     * personal_life category's business) */
    {"family", G, WHO_RELATIVE}, {"families", G, WHO_RELATIVE},
    {"mother", O, WHO_RELATIVE}, {"mothers", G, WHO_RELATIVE},
    {"father", O, WHO_RELATIVE}, {"fathers", G, WHO_RELATIVE},
    {"mom", O, WHO_RELATIVE}, {"moms", G, WHO_RELATIVE},
    {"dad", O, WHO_RELATIVE}, {"dads", G, WHO_RELATIVE},
    {"parent", O, WHO_RELATIVE}, {"parents", G, WHO_RELATIVE},
    {"daughter", O, WHO_RELATIVE}, {"daughters", G, WHO_RELATIVE},
    {"son", O, WHO_RELATIVE}, {"sons", G, WHO_RELATIVE},
    {"husband", O, WHO_RELATIVE}, {"wife", O, WHO_RELATIVE},
    {"spouse", O, WHO_RELATIVE}, {"partner", O, WHO_RELATIVE},
    {"sister", O, WHO_RELATIVE}, {"brother", O, WHO_RELATIVE},
    {"sibling", O, WHO_RELATIVE}, {"siblings", G, WHO_RELATIVE},
    {"grandmother", O, WHO_RELATIVE}, {"grandfather", O, WHO_RELATIVE},
    {"grandparent", O, WHO_RELATIVE}, {"grandparents", G, WHO_RELATIVE},
    {"grandma", O, WHO_RELATIVE}, {"grandpa", O, WHO_RELATIVE},
    {"aunt", O, WHO_RELATIVE}, {"uncle", O, WHO_RELATIVE},
    {"relative", O, WHO_RELATIVE}, {"relatives", G, WHO_RELATIVE},
    {"caregiver", O, WHO_RELATIVE}, {"caregivers", G, WHO_RELATIVE},
    {"guardian", O, WHO_RELATIVE}, {"guardians", G, WHO_RELATIVE},
    {"fiance", O, WHO_RELATIVE}, {"fiancee", O, WHO_RELATIVE},
    {"boyfriend", O, WHO_RELATIVE}, {"girlfriend", O, WHO_RELATIVE},
    /* nurses and staff */
    {"nurse", O, WHO_NURSE}, {"nurses", G, WHO_NURSE},
    {"rn", O, WHO_NURSE}, {"rns", G, WHO_NURSE},
    {"midwife", O, WHO_NURSE}, {"midwives", G, WHO_NURSE},
    {"staff", G, WHO_STAFF}, {"tech", O, WHO_STAFF},
    {"techs", G, WHO_STAFF}, {"technician", O, WHO_STAFF},
    {"technicians", G, WHO_STAFF}, {"therapist", O, WHO_STAFF},
    {"therapists", G, WHO_STAFF}, {"pharmacist", O, WHO_STAFF},
    {"pharmacists", G, WHO_STAFF}, {"secretary", O, WHO_STAFF},
    {"scribe", O, WHO_STAFF}, {"aide", O, WHO_STAFF},
    {"aides", G, WHO_STAFF}, {"worker", O, WHO_STAFF},
    {"workers", G, WHO_STAFF}, {"manager", O, WHO_STAFF},
    {"crna", O, WHO_STAFF}, {"crnas", G, WHO_STAFF},
    {"np", O, WHO_STAFF}, {"nps", G, WHO_STAFF},
    {"paramedic", O, WHO_STAFF}, {"paramedics", G, WHO_STAFF},
    {"ems", G, WHO_STAFF}, {"ma", O, WHO_STAFF}, {"mas", G, WHO_STAFF},
    {"cna", O, WHO_STAFF}, {"cnas", G, WHO_STAFF}, {"lpn", O, WHO_STAFF},
    {"lpns", G, WHO_STAFF}, {"clerk", O, WHO_STAFF},
    {"transporter", O, WHO_STAFF}, {"security", G, WHO_STAFF},
    {"phlebotomist", O, WHO_STAFF}, {"dietitian", O, WHO_STAFF},
    {"chaplain", O, WHO_STAFF}, {"interpreter", O, WHO_STAFF},
    /* students */
    {"student", O, WHO_STUDENT}, {"students", G, WHO_STUDENT},
    {"ms3", O, WHO_STUDENT}, {"ms4", O, WHO_STUDENT},
    {"ms3s", G, WHO_STUDENT}, {"ms4s", G, WHO_STUDENT},
    {"learner", O, WHO_STUDENT}, {"learners", G, WHO_STUDENT},
    {"sub-intern", O, WHO_STUDENT}, {"subintern", O, WHO_STUDENT},
    /* other residents and peers */
    {"intern", O, WHO_COLLEAGUE}, {"interns", G, WHO_COLLEAGUE},
    {"co-resident", O, WHO_COLLEAGUE}, {"co-residents", G, WHO_COLLEAGUE},
    {"coresident", O, WHO_COLLEAGUE}, {"coresidents", G, WHO_COLLEAGUE},
    {"junior", O | W_MODOTHER, WHO_COLLEAGUE},
    {"juniors", G, WHO_COLLEAGUE}, {"seniors", G, WHO_COLLEAGUE},
    {"residents", G, WHO_COLLEAGUE}, {"colleague", O, WHO_COLLEAGUE},
    {"colleagues", G, WHO_COLLEAGUE}, {"peer", O, WHO_COLLEAGUE},
    {"peers", G, WHO_COLLEAGUE}, {"fellow", O | W_MODOTHER, WHO_COLLEAGUE},
    {"fellows", G, WHO_COLLEAGUE}, {"classmate", O, WHO_COLLEAGUE},
    {"classmates", G, WHO_COLLEAGUE}, {"upper-level", O, WHO_COLLEAGUE},
    {"upper-levels", G, WHO_COLLEAGUE},
    /* attendings */
    {"attending", O, WHO_ATTENDING}, {"attendings", G, WHO_ATTENDING},
    {"preceptor", O, WHO_ATTENDING}, {"preceptors", G, WHO_ATTENDING},
    {"faculty", G, WHO_ATTENDING}, {"mentor", O, WHO_ATTENDING},
    /* consultants */
    {"consultant", O, WHO_CONSULTANT}, {"consultants", G, WHO_CONSULTANT},
    {"specialist", O, WHO_CONSULTANT}, {"specialists", G, WHO_CONSULTANT},
    {"hospitalist", O, WHO_CONSULTANT}, {"hospitalists", G, WHO_CONSULTANT},
    {"surgeon", O, WHO_CONSULTANT}, {"surgeons", G, WHO_CONSULTANT},
    {"cardiologist", O, WHO_CONSULTANT}, {"radiologist", O, WHO_CONSULTANT},
    {"anesthesiologist", O, WHO_CONSULTANT},
    {"intensivist", O, WHO_CONSULTANT}, {"oncologist", O, WHO_CONSULTANT},
    {"neurologist", O, WHO_CONSULTANT}, {"psychiatrist", O, WHO_CONSULTANT},
    /* the team */
    {"team", G, WHO_TEAM}, {"teams", G, WHO_TEAM},
    /* the evaluator */
    {"i", W_EVAL, WHO_EVALUATOR}, {"me", W_EVAL, WHO_EVALUATOR},
    {"we", W_EVAL, WHO_EVALUATOR}, {"us", W_EVAL, WHO_EVALUATOR},
    {"myself", W_EVAL, WHO_EVALUATOR},
    {"my", W_DET | W_POSS | W_EVAL, WHO_EVALUATOR},
    {"our", W_DET | W_POSS | W_EVAL, WHO_EVALUATOR},
    /* the resident */
    {"she", W_RES, 0}, {"he", W_RES, 0}, {"him", W_RES, 0},
    {"her", W_RES | W_DET | W_POSS, 0}, {"his", W_RES | W_DET | W_POSS, 0},
    {"hers", W_RES, 0}, {"herself", W_RES, 0}, {"himself", W_RES, 0},
    {"dr", W_RES, 0}, {"resident", W_RES, 0}, {"you", W_RES, 0},
    {"your", W_RES | W_DET | W_POSS, 0},
    {"they", W_THEY, 0}, {"them", W_THEY, 0},
    {"their", W_THEY | W_DET | W_POSS, 0}, {"themselves", W_THEY, 0},
    /* modifiers that make "resident" someone else */
    {"other", W_MODOTHER, 0}, {"another", W_MODOTHER | W_DET, 0},
    {"co", W_MODOTHER, 0},
    /* determiners */
    {"the", W_DET, 0}, {"a", W_DET, 0}, {"an", W_DET, 0},
    {"this", W_DET, 0}, {"these", W_DET, 0}, {"those", W_DET, 0},
    {"each", W_DET, 0}, {"every", W_DET, 0}, {"any", W_DET, 0},
    {"some", W_DET, 0}, {"its", W_DET, 0}, {"one", W_DET, 0},
    {"several", W_DET, 0}, {"many", W_DET, 0}, {"all", W_DET, 0},
    {"both", W_DET, 0},
    /* prepositions */
    {"with", W_PREP, 0}, {"to", W_PREP, 0}, {"at", W_PREP, 0},
    {"for", W_PREP, 0}, {"toward", W_PREP, 0}, {"towards", W_PREP, 0},
    {"by", W_PREP, 0}, {"of", W_PREP, 0}, {"about", W_PREP, 0},
    {"from", W_PREP, 0}, {"on", W_PREP, 0}, {"in", W_PREP, 0},
    {"into", W_PREP, 0}, {"onto", W_PREP, 0}, {"around", W_PREP, 0},
    {"among", W_PREP, 0}, {"amongst", W_PREP, 0}, {"between", W_PREP, 0},
    {"under", W_PREP, 0}, {"over", W_PREP, 0}, {"during", W_PREP, 0},
    {"alongside", W_PREP, 0}, {"upon", W_PREP, 0}, {"against", W_PREP, 0},
    {"behind", W_PREP, 0}, {"beside", W_PREP, 0}, {"through", W_PREP, 0},
    {"throughout", W_PREP, 0}, {"within", W_PREP, 0},
    {"regarding", W_PREP, 0}, {"than", W_PREP, 0}, {"per", W_PREP, 0},
    {"unlike", W_PREP, 0}, {"without", W_PREP, 0},
    {"despite", W_PREP, 0}, {"notwithstanding", W_PREP, 0},
    {"like", W_PREP | W_SUCH, 0}, {"including", W_PREP | W_SUCH, 0},
    {"as", W_PREP, 0},
    /* copulas and linking verbs */
    {"is", W_COP, 0}, {"was", W_COP, 0}, {"were", W_COP, 0},
    {"are", W_COP, 0}, {"am", W_COP, 0}, {"be", W_COP, 0},
    {"been", W_COP, 0}, {"being", W_COP, 0}, {"seem", W_COP, 0},
    {"seems", W_COP, 0}, {"seemed", W_COP, 0}, {"appear", W_COP, 0},
    {"appears", W_COP, 0}, {"appeared", W_COP, 0}, {"became", W_COP, 0},
    {"become", W_COP, 0}, {"becomes", W_COP, 0}, {"becoming", W_COP, 0},
    {"remained", W_COP, 0}, {"remains", W_COP, 0}, {"remain", W_COP, 0},
    {"got", W_COP, 0}, {"gets", W_COP, 0}, {"get", W_COP, 0},
    {"grew", W_COP, 0}, {"looked", W_COP, 0}, {"looks", W_COP, 0},
    {"sounded", W_COP, 0}, {"felt", W_COP, 0}, {"feels", W_COP, 0},
    {"acted", W_COP, 0}, {"acts", W_COP, 0},
    /* other words that end a noun phrase */
    {"has", W_VERB, 0}, {"have", W_VERB, 0}, {"had", W_VERB, 0},
    {"not", W_VERB | W_CONTENT, 0}, {"never", W_VERB, 0},
    {"can", W_VERB, 0}, {"could", W_VERB, 0}, {"would", W_VERB, 0},
    {"will", W_VERB, 0}, {"should", W_VERB, 0}, {"may", W_VERB, 0},
    {"might", W_VERB, 0}, {"must", W_VERB, 0}, {"did", W_VERB, 0},
    {"does", W_VERB, 0}, {"do", W_VERB, 0}, {"it", W_VERB, 0},
    {"stayed", W_VERB, 0}, {"kept", W_VERB, 0}, {"handled", W_VERB, 0},
    {"managed", W_VERB, 0}, {"took", W_VERB, 0}, {"made", W_VERB, 0},
    {"showed", W_VERB, 0}, {"shows", W_VERB, 0},
    {"demonstrated", W_VERB, 0}, {"demonstrates", W_VERB, 0},
    {"displayed", W_VERB, 0}, {"gave", W_VERB, 0}, {"worked", W_VERB, 0},
    {"works", W_VERB, 0}, {"helped", W_VERB, 0}, {"led", W_VERB, 0},
    {"leads", W_VERB, 0}, {"ran", W_VERB, 0}, {"runs", W_VERB, 0},
    {"needs", W_VERB, 0}, {"continues", W_VERB, 0},
    {"continued", W_VERB, 0}, {"tends", W_VERB, 0},
    {"tended", W_VERB, 0}, {"found", W_VERB, 0}, {"finds", W_VERB, 0},
    /* conjunctions and subordinators */
    {"and", W_SPLIT, 0}, {"but", W_SPLIT, 0}, {"or", W_SPLIT, 0},
    {"nor", W_SPLIT, 0}, {"yet", W_SPLIT, 0}, {"while", W_SPLIT, 0},
    {"whereas", W_SPLIT, 0}, {"because", W_SPLIT, 0},
    {"although", W_SPLIT, 0}, {"though", W_SPLIT, 0},
    {"when", W_SPLIT, 0}, {"whenever", W_SPLIT, 0}, {"since", W_SPLIT, 0},
    {"until", W_SPLIT, 0}, {"unless", W_SPLIT, 0}, {"if", W_SPLIT, 0},
    {"after", W_SPLIT, 0}, {"before", W_SPLIT, 0}, {"then", W_SPLIT, 0},
    {"once", W_SPLIT, 0},
    {"who", W_REL, 0}, {"whom", W_REL, 0}, {"whose", W_REL, 0},
    {"which", W_REL, 0}, {"that", W_REL | W_CONTENT, 0},
    {"how", W_CONTENT | W_SPLIT, 0}, {"why", W_CONTENT, 0}, {"what", W_CONTENT, 0},
    {"whether", W_CONTENT, 0},
    /* reporting verbs with an addressee: the resident speaking to others */
    {"told", W_TELL, 0}, {"tell", W_TELL, 0}, {"tells", W_TELL, 0},
    {"telling", W_TELL, 0}, {"explained", W_TELL, 0},
    {"explain", W_TELL, 0}, {"explains", W_TELL, 0},
    {"explaining", W_TELL, 0}, {"reassured", W_TELL, 0},
    {"reassure", W_TELL, 0}, {"reassures", W_TELL, 0},
    {"reassuring", W_TELL, 0}, {"informed", W_TELL, 0},
    {"inform", W_TELL, 0}, {"informing", W_TELL, 0},
    {"advised", W_TELL, 0}, {"advise", W_TELL, 0},
    {"advising", W_TELL, 0}, {"counseled", W_TELL, 0},
    {"counselled", W_TELL, 0}, {"counseling", W_TELL, 0},
    {"counselling", W_TELL, 0}, {"counsels", W_TELL, 0},
    {"reminded", W_TELL, 0}, {"reminding", W_TELL, 0},
    {"warned", W_TELL, 0}, {"assured", W_TELL, 0},
    {"educated", W_TELL, 0}, {"educating", W_TELL, 0},
    {"taught", W_TELL, 0}, {"asked", W_TELL, 0}, {"asking", W_TELL, 0},
    {"said", W_TELL | W_STATE, 0}, {"says", W_TELL | W_STATE, 0},
    {"wrote", W_TELL, 0}, {"explicitly", 0, 0},
    /* reporting verbs of a patient or relative */
    {"states", W_STATE, 0}, {"stated", W_STATE, 0},
    {"reports", W_STATE, 0}, {"reported", W_STATE, 0},
    {"endorses", W_STATE, 0}, {"endorsed", W_STATE, 0},
    {"denies", W_STATE, 0}, {"denied", W_STATE, 0},
    {"complains", W_STATE, 0}, {"complained", W_STATE, 0},
    {"describes", W_STATE | W_DESCR, 0}, {"admits", W_STATE, 0},
    {"admitted", W_STATE, 0}, {"expressed", W_STATE, 0},
    {"expresses", W_STATE, 0}, {"insisted", W_STATE, 0},
    {"yelled", W_STATE, 0}, {"screamed", W_STATE, 0},
    {"shouted", W_STATE, 0}, {"feel", 0, 0},
    /* describing: a quote after these names the resident's description */
    {"described", W_DESCR, 0}, {"called", W_DESCR, 0},
    {"labeled", W_DESCR, 0}, {"labelled", W_DESCR, 0},
    {"calls", W_DESCR, 0}, {"call", W_DESCR, 0},
    /* mention triggers */
    {"word", W_MENTION, 0}, {"words", W_MENTION, 0},
    {"term", W_MENTION, 0}, {"terms", W_MENTION, 0},
    {"label", W_MENTION, 0}, {"labels", W_MENTION, 0},
    {"adjective", W_MENTION, 0}, {"adjectives", W_MENTION, 0},
    {"descriptor", W_MENTION, 0}, {"descriptors", W_MENTION, 0},
    {"phrase", W_MENTION, 0}, {"phrases", W_MENTION, 0},
    {"wording", W_MENTION, 0}, {"language", W_MENTION, 0},
    {"example", W_MENTION, 0}, {"examples", W_MENTION, 0},
    {"such", W_SUCH, 0},
    {"talk", W_TALK, 0}, {"talks", W_TALK, 0}, {"lecture", W_TALK, 0},
    {"lectures", W_TALK, 0}, {"presentation", W_TALK, 0},
    {"workshop", W_TALK, 0}, {"workshops", W_TALK, 0},
    {"seminar", W_TALK, 0}, {"didactic", W_TALK, 0},
    {"didactics", W_TALK, 0}, {"session", W_TALK, 0},
    {"module", W_TALK, 0}, {"curriculum", W_TALK, 0},
    /* intensifiers */
    {"very", W_INTENS, 0}, {"quite", W_INTENS, 0}, {"so", W_INTENS, 0},
    {"too", W_INTENS, 0}, {"more", W_INTENS, 0}, {"most", W_INTENS, 0},
    {"really", W_INTENS, 0}, {"extremely", W_INTENS, 0},
    {"rather", W_INTENS, 0}, {"somewhat", W_INTENS, 0},
    {"overly", W_INTENS, 0}, {"increasingly", W_INTENS, 0},
    {"visibly", W_INTENS, 0}, {"particularly", W_INTENS, 0},
    {"less", W_INTENS, 0}, {"fairly", W_INTENS, 0},
    {"highly", W_INTENS, 0}, {"incredibly", W_INTENS, 0},
    {"understandably", W_INTENS, 0},
    /* "team player", "team member" */
    {"player", W_TEAMCOMP, 0}, {"players", W_TEAMCOMP, 0},
    {"member", W_TEAMCOMP, 0}, {"members", W_TEAMCOMP | G, WHO_TEAM},
    {"leader", W_TEAMCOMP, 0}, {"leaders", W_TEAMCOMP, 0},
    {"lead", W_TEAMCOMP, 0}, {"work", W_TEAMCOMP, 0},
    {"approach", W_TEAMCOMP, 0}, {"dynamics", W_TEAMCOMP, 0},
    {"meeting", W_TEAMCOMP, 0}, {"meetings", W_TEAMCOMP, 0},
    {"spirit", W_TEAMCOMP, 0},
    /* ages after a number */
    {"year", W_AGE, 0}, {"years", W_AGE, 0}, {"yr", W_AGE, 0},
    {"yrs", W_AGE, 0}, {"yo", W_AGE, 0}, {"y", W_AGE, 0},
    {"year-old", W_AGE, 0}, {"month-old", W_AGE, 0},
    {"week-old", W_AGE, 0}, {"day-old", W_AGE, 0},
    {"patient", W_BARE_PATIENT, WHO_PATIENT},
};
#undef O
#undef G

static const size_t NWORDS = sizeof WORDS / sizeof WORDS[0];
static pthread_once_t words_once = PTHREAD_ONCE_INIT;
/* word -> its class | who << WHO_SHIFT (a word of class 0 and who 0 is as
 * good as absent: no rule tells them apart) */
static struct wordtab words_tab;
#define WHO_SHIFT 24
_Static_assert(W_DESCR < (1u << WHO_SHIFT) && WHO_EVALUATOR < 16,
               "class and who share a 32-bit value");

static void build_words(void)
{
    static const char *w[sizeof WORDS / sizeof WORDS[0]];
    static uint32_t v[sizeof WORDS / sizeof WORDS[0]];
    for (size_t i = 0; i < NWORDS; i++) {
        w[i] = WORDS[i].w;
        v[i] = WORDS[i].cls | (uint32_t)WORDS[i].who << WHO_SHIFT;
    }
    /* Every word is 1..16 bytes and listed once (test_referent.c checks
     * words of every kind are found), so this cannot fail. */
    (void)wordtab_build(&words_tab, w, v, NWORDS);
}

/* ======================= Per-token facts ================================= */

enum { Q_NONE, Q_QUOTE, Q_SPEECH, Q_MENTION };
static const char *const quote_why[] = {"", "quotation", "reported speech",
                                        "mention"};

struct referent_tok {
    uint32_t cls;
    uint32_t cstart;   /* first token of this token's clause */
    uint32_t sent;     /* sentence number (tokenizer breaks) */
    int32_t subj;      /* at a clause's first token: the subject mention or
                          -1 */
    uint8_t who;       /* for a mention: whom it names (0: the resident) */
    uint8_t mention;   /* 1: a person mention */
    uint8_t poss;      /* a possessive form (X's, X', her, his ...) */
    uint8_t quoted;    /* Q_* */
    uint8_t cref;      /* at a clause's first token: 1 + who of its
                          subject (or the subject it inherits); 0: none */
    uint8_t eref;      /* at a clause's first token: 1 + who of the
                          nearest mention at its end ("found her
                          diligent" -> her); 0: none */
    uint8_t gap_comma; /* the gap before this token holds , ( ) or a dash */
    uint8_t rbrk;      /* real_break() before this token (pass 1) */
    uint8_t has_verb;  /* at a clause's first token: the clause has a verb
                          (else it is a fragment: "A feisty intern.") */
};

void referent_init(struct referent_ctx *c)
{
    pthread_once(&words_once, build_words);
    memset(c, 0, sizeof *c);
}

void referent_fini(struct referent_ctx *c)
{
    free(c->t);
    referent_init(c);
}

static size_t tlen(const struct referent_ctx *c, size_t i)
{
    return c->tk->v[i].end - c->tk->v[i].start;
}

static const char *tstr(const struct referent_ctx *c, size_t i)
{
    return c->s + c->tk->v[i].start;
}

static int is(const struct referent_ctx *c, size_t i, uint32_t cls)
{
    return i < c->tk->n && (c->t[i].cls & cls);
}

static int brk(const struct referent_ctx *c, size_t i)
{
    return i < c->tk->n && (c->tk->v[i].flags & TOK_BREAK_BEFORE);
}

/* A tokenizer break after "dr", "mr", "pt" ... is an abbreviation's
 * period, not a sentence end, for our purposes. */
static int abbrev(const struct referent_ctx *c, size_t i)
{
    static const char *const ab[] = {"dr", "mr", "mrs", "ms", "pt", "prof"};
    if (tlen(c, i) < 2 || tlen(c, i) > 4)
        return 0;
    for (size_t k = 0; k < sizeof ab / sizeof ab[0]; k++)
        if (tlen(c, i) == strlen(ab[k]) &&
            memcmp(tstr(c, i), ab[k], tlen(c, i)) == 0)
            return 1;
    return 0;
}

/* Computed once a token in pass 1 (rbrk): it is asked many times. */
static int real_break_at(const struct referent_ctx *c, size_t i)
{
    return brk(c, i) && !(i > 0 && abbrev(c, i - 1));
}

static int real_break(const struct referent_ctx *c, size_t i)
{
    return i < c->tk->n && c->t[i].rbrk;
}

static int digit_start(const struct referent_ctx *c, size_t i)
{
    unsigned char ch = (unsigned char)tstr(c, i)[0];
    return ch >= '0' && ch <= '9';
}

/* A word not in the table ending in -ed ("intoxicated", "agitated"). */
static int ed_word(const struct referent_ctx *c, size_t i)
{
    if (i >= c->tk->n || c->t[i].cls)
        return 0;
    size_t l = tlen(c, i);
    const char *w = tstr(c, i);
    return l > 4 && w[l - 2] == 'e' && w[l - 1] == 'd';
}

/* Is the bare "patient" at i a noun? After a determiner, a possessive or
 * an age (skipping one modifier), or at a clause start before a verb. */
static int patient_noun(const struct referent_ctx *c, size_t i, size_t cs)
{
    for (size_t d = 1; d <= 2 && d <= i - cs; d++) {
        const struct referent_tok *p = &c->t[i - d];
        if (p->cls & (W_COP | W_INTENS | W_SPLIT | W_VERB))
            return 0;
        if ((p->cls & W_DET) || p->poss || digit_start(c, i - d) ||
            (p->cls & W_AGE))
            return 1;
        if (d == 1 && p->gap_comma)
            return 0;
    }
    if (i == cs)
        return (is(c, i + 1, W_COP | W_VERB | W_STATE | W_TELL) ||
                ed_word(c, i + 1)) &&
               !brk(c, i + 1); /* "Patient was ...", "Patient intoxicated" */
    /* "Intoxicated patient, ...": an -ed adjective opening the clause */
    return i == cs + 1 && ed_word(c, cs) && !c->t[i].gap_comma;
}

/* What a gap between tokens holds (bits), by byte. */
enum { GAP_COMMA = 1, GAP_QUOTE = 2 };
static const uint8_t gap_class[256] = {
    [','] = GAP_COMMA, ['('] = GAP_COMMA, [')'] = GAP_COMMA,
    ['-'] = GAP_COMMA, ['"'] = GAP_QUOTE, ['\''] = GAP_QUOTE,
};

/* Scan the gaps for quotes; mark paired regions. */
static void mark_quotes(struct referent_ctx *c, size_t len)
{
    const struct tokens *tk = c->tk;
    long dq_open = -1, sq_open = -1; /* token index after the opener */
    for (size_t i = 0; i <= tk->n; i++) {
        size_t gs = i ? tk->v[i - 1].end : 0;
        size_t ge = i < tk->n ? tk->v[i].start : len;
        for (size_t p = gs; p < ge; p++) {
            char ch = c->s[p];
            if (ch == '"') {
                if (dq_open < 0) {
                    dq_open = (long)i;
                } else {
                    for (size_t k = (size_t)dq_open; k < i; k++)
                        if (!c->t[k].quoted)
                            c->t[k].quoted = Q_QUOTE;
                    dq_open = -1;
                }
            } else if (ch == '\'') {
                /* An opener stands right before a word after a space or
                 * the start; a closer right after a word. */
                int opener = p + 1 == ge && i < tk->n &&
                             (p == 0 || c->s[p - 1] == ' ' ||
                              c->s[p - 1] == '\n' || c->s[p - 1] == '\t' ||
                              c->s[p - 1] == '(' || c->s[p - 1] == '"');
                int closer = p == gs && i > 0;
                if (sq_open >= 0 && closer) {
                    for (size_t k = (size_t)sq_open; k < i; k++)
                        if (!c->t[k].quoted)
                            c->t[k].quoted = Q_QUOTE;
                    sq_open = -1;
                } else if (opener && sq_open < 0) {
                    sq_open = (long)i;
                }
            }
        }
        if (i < tk->n && real_break(c, i) && sq_open >= 0)
            sq_open = -1; /* a single quote does not cross a sentence */
    }
}

/* A quote within two words after "called", "described", "labeled" ("called
 * her "bossy"", "described as "abrasive""): the resident's own description,
 * quoted by the evaluator: not set aside. */
static void unquote_descriptions(struct referent_ctx *c)
{
    size_t n = c->tk->n;
    for (size_t i = 0; i < n; i++) {
        if (c->t[i].quoted != Q_QUOTE || (i && c->t[i - 1].quoted))
            continue;
        int own = 0;
        for (size_t d = 1; d <= 2 && d <= i; d++) {
            const struct referent_tok *p = &c->t[i - d];
            if (p->cls & W_DESCR)
                own = 1;
            if (real_break(c, i - d + 1))
                break;
        }
        if (!own)
            continue;
        for (size_t k = i; k < n && c->t[k].quoted == Q_QUOTE; k++)
            c->t[k].quoted = Q_NONE;
    }
}

static void quote_to_sentence_end(struct referent_ctx *c, size_t from,
                                  uint8_t why)
{
    for (size_t k = from; k < c->tk->n; k++) {
        if (k > from && real_break(c, k))
            break;
        if (!c->t[k].quoted)
            c->t[k].quoted = why;
    }
}

/* Is the token at j the object of a preposition? Looks back over up to
 * two determiners, possessives or modifiers. */
static int prep_object(const struct referent_ctx *c, size_t j, size_t cs)
{
    for (size_t d = 1; d <= 3 && d <= j - cs; d++) {
        const struct referent_tok *p = &c->t[j - d];
        if (p->cls & W_PREP)
            return 1;
        if (p->cls & (W_COP | W_VERB | W_SPLIT | W_REL | W_TELL | W_STATE))
            return 0;
        if (p->mention && !p->poss)
            return 0;
    }
    return 0;
}

/* Does the word at j, in a clause starting at a, open a subjectless
 * fragment as its verb ("Treats every patient ...", "Always greets ...",
 * "Answered the nurses ...")? A word not in the table, among the clause's
 * first three, not after a determiner: in -s (not -ss), or in -ed with a
 * determiner or pronoun right after it ("Tired patients" is no verb).
 * Not in -us or -is: "Nervous patients", "Anxious families". */
static int fragment_verb(const struct referent_ctx *c, size_t j, size_t a)
{
    const struct referent_tok *x = &c->t[j];
    if (x->cls || x->mention || j > a + 2 ||
        (j > a && (c->t[j - 1].cls & W_DET)))
        return 0;
    size_t l = tlen(c, j);
    if (l <= 3)
        return 0;
    const char *w = tstr(c, j);
    /* only -s and -ed words from here */
    if (w[l - 1] != 's' && w[l - 1] != 'd')
        return 0;
    if (w[l - 1] == 's' && w[l - 2] != 's' && w[l - 2] != 'u' &&
        w[l - 2] != 'i') /* not "nervous", "anxious", "analysis" */
        return 1;
    return l > 4 && w[l - 2] == 'e' && w[l - 1] == 'd' && j + 1 < c->tk->n &&
           !brk(c, j + 1) &&
           (c->t[j + 1].cls & (W_DET | W_RES | W_THEY));
}

/* Is the word at i an adverb in -ly ("warmly", "curtly",
 * "empathetically")? Not the adjectives in -ly, nor nouns and verbs that
 * happen to end so. */
static int ly_adverb(const struct referent_ctx *c, size_t i)
{
    static const char *const not_adv[] = {
        "bubbly", "bully", "burly", "chilly", "comely", "costly",
        "cowardly", "cuddly", "curly", "daily", "deadly", "early",
        "elderly", "family", "fatherly", "friendly", "gentlemanly",
        "ghastly", "holy", "homely", "hourly", "jolly", "kindly",
        "leisurely", "likely", "lively", "lonely", "lovely", "manly",
        "monthly", "motherly", "neighborly", "neighbourly", "only",
        "orderly", "saintly", "scholarly", "sickly", "silly", "sisterly",
        "brotherly", "stately", "surly", "timely", "ugly", "unfriendly",
        "unlikely", "unruly", "unseemly", "weekly", "wily", "womanly",
        "worldly", "yearly", "apply", "ally", "rely", "reply", "supply",
        "fly", "belly", "rally", "tally", "assembly", "anomaly",
    };
    size_t l = tlen(c, i);
    const char *w = tstr(c, i);
    if (l < 5 || w[l - 2] != 'l' || w[l - 1] != 'y' || c->t[i].mention)
        return 0;
    for (size_t k = 0; k < sizeof not_adv / sizeof not_adv[0]; k++)
        if (strlen(not_adv[k]) == l && memcmp(not_adv[k], w, l) == 0)
            return 0;
    return 1;
}

/* A possessive "'s" is not part of the word looked up ("nurse's"). */
static size_t class_len(const char *w, size_t l)
{
    if (l > 2 && w[l - 1] == 's' && w[l - 2] == '\'')
        return l - 2;
    return l;
}

uint32_t referent_word_class(const char *w, size_t n)
{
    pthread_once(&words_once, build_words);
    if (!n)
        return 0;
    return wordtab_get(&words_tab, w, class_len(w, n), n);
}

void referent_prepare(struct referent_ctx *c, const char *s, size_t len,
                      const struct tokens *tk)
{
    referent_prepare_classes(c, s, len, tk, NULL);
}

void referent_prepare_classes(struct referent_ctx *c, const char *s,
                              size_t len, const struct tokens *tk,
                              const uint32_t *given)
{
    /* also here: a zeroed context (match.c's calloc) is a valid one */
    pthread_once(&words_once, build_words);
    c->s = s;
    c->tk = tk;
    size_t n = tk->n;
    grow(&c->t, &c->cap, n ? n : 1, sizeof *c->t);
    memset(c->t, 0, (n ? n : 1) * sizeof *c->t);

    /* Pass 1: classes, possessives, gaps, sentences. The token array and
     * the facts are read through locals: a store to a byte field may alias
     * anything, and would make c->tk->v be reloaded. */
    const struct token *v = tk->v;
    struct referent_tok *T = c->t;
    uint32_t sent = 0;
    unsigned gaps = 0; /* GAP_* of all gaps before tokens */
    size_t prev_end = 0;
    uint32_t all_cls = 0; /* the classes of all tokens */
    for (size_t i = 0; i < n; i++) {
        struct referent_tok *t = &T[i];
        size_t st = v[i].start, en = v[i].end;
        const char *w = s + st;
        size_t l = en - st;
        unsigned g = 0;
        if (st != prev_end + 1 || s[prev_end] != ' ') /* not one space */
            for (size_t p = prev_end; p < st; p++)
                g |= gap_class[(unsigned char)s[p]];
        prev_end = en;
        gaps |= g;
        uint8_t poss = 0;
        if (w[l - 1] == 's' && l > 1) {
            if (l > 2 && w[l - 2] == '\'') {
                poss = 1;
                l -= 2;
            } else if (en < len && s[en] == '\'') {
                poss = 1; /* "parents' concerns" */
            }
        }
        uint32_t val =
            given ? given[i] : wordtab_get(&words_tab, w, l, len - st);
        uint32_t cls = val & ((1u << WHO_SHIFT) - 1);
        uint8_t who = (uint8_t)(val >> WHO_SHIFT);
        if (cls & W_POSS)
            poss = 1;
        all_cls |= cls;
        uint8_t rb = 0;
        if (v[i].flags & TOK_BREAK_BEFORE) {
            rb = (uint8_t)real_break_at(c, i);
            if (i && rb)
                sent++;
        }
        t->cls = cls;
        t->sent = sent;
        t->who = who;
        t->poss = poss;
        t->rbrk = rb;
        t->gap_comma = (uint8_t)(g & GAP_COMMA);
    }

    /* Pass 2: clauses and mentions. */
    size_t cs = 0;
    int32_t last_group = -1;
    for (size_t i = 0; i < n; i++) {
        struct referent_tok *t = &T[i];
        uint32_t cl = t->cls;
        if (i == 0 || (v[i].flags & TOK_BREAK_BEFORE) || t->gap_comma ||
            (cl & (W_SPLIT | W_REL)))
            cs = i;
        t->cstart = (uint32_t)cs;
        if (!(cl & (W_OTHER | W_BARE_PATIENT | W_RES | W_EVAL | W_THEY))) {
            /* the common case: no mention, unless an age */
            unsigned char ch = (unsigned char)s[v[i].start];
            if (ch < '0' || ch > '9')
                continue;
        }
        if (cl & W_OTHER) {
            t->mention = 1;
            if ((cl & W_TEAMCOMP) && !(i && c->t[i - 1].who == WHO_TEAM))
                t->mention = 0;
            if (t->who == WHO_TEAM && is(c, i + 1, W_TEAMCOMP) &&
                !brk(c, i + 1))
                t->mention = 0; /* "team player" */
            if ((cl & W_MODOTHER) && is(c, i + 1, W_RES) &&
                tlen(c, i + 1) == 8) /* "junior resident" */
                t->mention = 0;
        } else if (cl & W_BARE_PATIENT) {
            t->mention = t->poss || patient_noun(c, i, cs);
        } else if (cl & (W_RES | W_EVAL)) {
            t->mention = 1;
            if ((cl & W_RES) && tlen(c, i) == 8 && i > 0 &&
                (c->t[i - 1].cls & W_MODOTHER))
                t->who = WHO_COLLEAGUE; /* "another resident" */
            if (cl & W_EVAL)
                t->who = WHO_EVALUATOR;
            if ((cl & W_POSS) && (cl & W_EVAL))
                t->mention = 0; /* "my", "our": the noun that follows */
        } else if (cl & W_THEY) {
            t->mention = 1;
            if (last_group >= 0 && c->t[last_group].sent + 1 >= t->sent)
                t->who = c->t[last_group].who;
        } else if (digit_start(c, i)) {
            const char *w = tstr(c, i);
            size_t l = tlen(c, i);
            int age = is(c, i + 1, W_AGE) && !brk(c, i + 1);
            for (size_t k = 0; k + 4 < l && !age; k++)
                if (memcmp(w + k, "-yo", 3) == 0 ||
                    memcmp(w + k, "-year", 5) == 0 ||
                    memcmp(w + k, "-month", 6) == 0)
                    age = 1;
            if (l > 2 && memcmp(w + l - 2, "yo", 2) == 0)
                age = 1;
            if (age) {
                t->mention = 1;
                t->who = WHO_PATIENT;
            }
        }
        if (t->mention && (cl & W_GROUP) && t->who)
            last_group = (int32_t)i;
    }

    /* Pass 3: each clause's subject and what it passes on. The subject
     * is the first mention before the clause's first verb; a predicate
     * noun ("is a hard working intern") is no subject. A clause with no
     * mention continues the one before it: a verb phrase ("and was kind")
     * takes its subject, anything else ("found her diligent and
     * thorough") the mention nearest its end. */
    for (size_t i = 0; i < n;) {
        size_t a = i, b;
        int32_t subj = -1, last = -1;
        if ((c->t[a].cls & W_REL) && a > 0) {
            /* antecedent: a mention just before (across a comma) */
            for (size_t d = 1; d <= 2 && d <= a; d++)
                if (c->t[a - d].mention) {
                    subj = (int32_t)(a - d);
                    break;
                }
        }
        int verb = 0;
        /* the clause: tokens [a, b), found as they are walked */
        for (b = a; b < n && (b == a || T[b].cstart == a); b++) {
            size_t j = b;
            const struct referent_tok *x = &T[j];
            if (x->mention && !prep_object(c, j, a) &&
                !(x->poss && j + 1 < n && T[j + 1].cstart == a &&
                  T[j + 1].mention)) {
                if (subj < 0 && !verb)
                    subj = (int32_t)j;
                last = (int32_t)j;
            }
            if (x->cls & (W_COP | W_VERB | W_TELL | W_STATE))
                verb = 1;
            /* "Treats every patient ...", "Answered the nurses ...": a
             * fragment opening with a verb has the resident as its elided
             * subject. */
            if (subj < 0 && j <= a + 2 && !x->cls && !x->mention &&
                fragment_verb(c, j, a))
                verb = 1;
        }
        c->t[a].subj = subj;
        c->t[a].has_verb = (uint8_t)verb;
        int cont = a > 0 && !real_break(c, a);
        size_t p = cont ? c->t[a - 1].cstart : 0;
        if (subj >= 0)
            c->t[a].cref = (uint8_t)(1 + c->t[subj].who);
        else if (cont)
            c->t[a].cref = c->t[p].cref;
        if (last >= 0)
            c->t[a].eref = (uint8_t)(1 + c->t[last].who);
        else if (cont) {
            /* the first word after the conjunction: a verb or not */
            size_t f = a + ((c->t[a].cls & (W_SPLIT | W_REL)) ? 1 : 0);
            while (f < b && (c->t[f].cls & W_INTENS))
                f++;
            int vp = f < b && (c->t[f].cls & (W_COP | W_VERB | W_TELL |
                                              W_STATE));
            c->t[a].eref = vp ? c->t[p].cref : c->t[p].eref;
            if (!c->t[a].cref || !vp)
                c->t[a].cref = c->t[a].eref;
        }
        i = b;
    }

    /* Pass 4: quotation, reported speech, mention. A quote after the last
     * token opens nothing that closes, so the gaps before tokens tell
     * whether there is any quotation to mark. */
    if (gaps & GAP_QUOTE) {
        mark_quotes(c, len);
        unquote_descriptions(c);
    }
    for (size_t i = 0; i < n && (all_cls & (W_TELL | W_STATE | W_MENTION |
                                            W_TALK)); i++) {
        const struct referent_tok *t = &c->t[i];
        if (!(t->cls & (W_TELL | W_STATE | W_MENTION | W_TALK)))
            continue;
        if (t->cls & W_TELL) {
            /* addressee: another person within 4 words, then content */
            size_t j = i + 1, seen = 0;
            for (; j < n && j <= i + 5 && !real_break(c, j); j++) {
                if (c->t[j].mention && c->t[j].who &&
                    c->t[j].who != WHO_EVALUATOR)
                    seen = j;
                else if (seen && !(c->t[j].mention || c->t[j].poss))
                    break;
            }
            if (seen && j < n && !real_break(c, j) &&
                ((c->t[j].cls & W_CONTENT) || c->t[j].quoted ||
                 ((c->t[j].cls & (W_RES | W_THEY)) && !c->t[j].poss)))
                quote_to_sentence_end(c, j, Q_SPEECH);
        }
        if ((t->cls & W_STATE) && i > 0) {
            for (size_t d = 1; d <= 2 && d <= i; d++) {
                const struct referent_tok *p = &c->t[i - d];
                if (brk(c, i - d + 1))
                    break;
                if (p->mention && (p->who == WHO_PATIENT ||
                                   p->who == WHO_RELATIVE)) {
                    quote_to_sentence_end(c, i + 1, Q_SPEECH);
                    break;
                }
            }
        }
        if ((t->cls & W_MENTION) && i + 1 < n && !real_break(c, i + 1)) {
            const struct referent_tok *x = &c->t[i + 1];
            int trig = (x->cls & W_SUCH) ||
                       (x->quoted && !t->quoted) ||
                       (!x->cls && i > 0 && (c->t[i - 1].cls & W_DET) &&
                        tlen(c, i - 1) == 3); /* "the word bossy" */
            if (trig)
                quote_to_sentence_end(c, i + 1, Q_MENTION);
        }
        if ((t->cls & W_TALK) && i > 0 && (c->t[i - 1].cls & W_DET) &&
            i + 1 < n && !real_break(c, i + 1) &&
            ((c->t[i + 1].cls & W_PREP) &&
             (tlen(c, i + 1) == 2 || tlen(c, i + 1) == 5) &&
             (memcmp(tstr(c, i + 1), "on", 2) == 0 ||
              memcmp(tstr(c, i + 1), "about", 5) == 0)))
            quote_to_sentence_end(c, i + 1, Q_MENTION);
    }
}

/* ======================= One hit ========================================= */

static struct referent res(void) { return (struct referent){REF_RESIDENT, ""}; }

static struct referent of_who(uint8_t who)
{
    if (!who)
        return res();
    return (struct referent){REF_OTHER, who_name[who]};
}

static int word_eq(const struct referent_ctx *c, size_t i, const char *w)
{
    return tlen(c, i) == strlen(w) && memcmp(tstr(c, i), w, tlen(c, i)) == 0;
}

/* Does the word before a noun phrase's determiner make the phrase a
 * predicate of the clause's subject, or a group the resident belongs to?
 * "is a kind colleague", "as a leader", "make a good colleague", "not the
 * best intern", "one of the best interns", "among the finest residents". */
static int pred_before(const struct referent_ctx *c, size_t i)
{
    if (c->t[i].cls & W_COP)
        return 1;
    static const char *const w[] = {"as", "make", "makes", "made", "not",
                                    "among", "amongst"};
    for (size_t k = 0; k < sizeof w / sizeof w[0]; k++)
        if (word_eq(c, i, w[k]))
            return 1;
    return word_eq(c, i, "of") && i > 0 && word_eq(c, i - 1, "one");
}

struct referent referent_of(const struct referent_ctx *c, size_t tfirst,
                            size_t tend)
{
    size_t n = c->tk->n;
    if (tfirst >= n)
        return res();
    if (tend <= tfirst)
        tend = tfirst + 1;
    const struct referent_tok *h = &c->t[tfirst];
    if (h->quoted)
        return (struct referent){REF_QUOTED, quote_why[h->quoted]};
    size_t cs = h->cstart;

    /* A hit that names the resident ("her children", "his tone with",
     * "encourage them to be more": singular they, no group in sight). */
    for (size_t j = tfirst; j < tend; j++)
        if ((c->t[j].cls & W_RES) ||
            ((c->t[j].cls & W_THEY) && c->t[j].who == WHO_NONE))
            return res();

    /* 3. A possessive just before the hit owns it. */
    for (size_t d = 1; d <= 3 && d <= tfirst - cs; d++) {
        const struct referent_tok *p = &c->t[tfirst - d];
        if (p->poss && (p->cls & W_EVAL))
            break; /* "our greatest asset": the resident */
        if (p->poss && (p->mention || (p->cls & (W_POSS | W_THEY))))
            return of_who(p->who);
        if (p->cls || c->t[tfirst - d + 1].gap_comma)
            break; /* only plain modifiers may stand between */
    }

    const struct referent_tok *cl = &c->t[cs];
    /* An adverb in -ly tells how the clause's subject acts ("Greets every
     * family warmly", "Answered the nurses curtly"): its subject decides,
     * not the object or the nearest person. */
    if (ly_adverb(c, tend - 1)) {
        if (cl->subj >= 0 && (size_t)cl->subj < tfirst)
            return of_who(c->t[cl->subj].who);
        if (cl->subj < 0 && cl->cref)
            return of_who((uint8_t)(cl->cref - 1));
        return res();
    }

    /* 4. The noun the adjective attaches to (not after a hit ending in a
     * preposition, "tone with", nor after a verb: "Leads family meetings"
     * - the noun is its object). */
    int verb_hit = (c->t[tend - 1].cls & (W_PREP | W_VERB | W_COP | W_TELL |
                                          W_STATE)) ||
                   (tfirst == cs && fragment_verb(c, tend - 1, cs));
    for (size_t j = tend; j < n && j <= tend + 3 && !verb_hit; j++) {
        const struct referent_tok *x = &c->t[j];
        if (brk(c, j) || (x->cls & (W_PREP | W_COP | W_VERB | W_SPLIT |
                                    W_REL | W_TELL | W_STATE | W_RES |
                                    W_EVAL | W_THEY | W_DET)))
            break;
        size_t l = tlen(c, j);
        if (!x->cls && l > 3 && memcmp(tstr(c, j) + l - 3, "ing", 3) == 0)
            break;
        int noun = x->mention || ((x->cls & W_BARE_PATIENT) && !x->gap_comma);
        if (noun && x->who && x->who != WHO_EVALUATOR &&
            x->who != WHO_TEAM) {
            /* a predicate after a copula: "she is a kind colleague" */
            int pred = 0;
            for (size_t k = tfirst; k < tend; k++)
                if ((c->t[k].cls & W_DET) || pred_before(c, k))
                    pred = 1; /* "not the best", "might make a good" */
            for (size_t d = 1; !pred && d <= 5 && d <= tfirst; d++) {
                const struct referent_tok *p = &c->t[tfirst - d];
                if (p->cls & W_DET) {
                    if (tfirst - d == 0 && !c->t[x->cstart].has_verb)
                        pred = 1; /* "A feisty intern.", "A quiet,
                                     thoughtful intern.": a fragment (not
                                     "A friendly nurse helped.") */
                    else if (real_break(c, tfirst - d))
                        pred = 1;
                    else if (tfirst - d > 0 &&
                             pred_before(c, tfirst - d - 1))
                        pred = 1;
                    break;
                }
                if (p->cls & ~(uint32_t)(W_INTENS | W_SPLIT))
                    break;
            }
            if (!pred)
                return of_who(x->who);
            break;
        }
    }

    /* 5. "how thorough she was": a mention and a copula right after. */
    if (tend + 1 < n && c->t[tend].mention && !brk(c, tend) && tend > cs &&
        ((c->t[tend + 1].cls & W_COP) ||
         (tend + 2 < n && !c->t[tend + 1].cls &&
          (c->t[tend + 2].cls & W_COP)))) /* "how kind Dr. Lee was" */
        return of_who(c->t[tend].who);
    /* "described Riley as warm": a name or pronoun right before "as". */
    {
        size_t j = tfirst;
        while (j > cs && (c->t[j - 1].cls & W_INTENS))
            j--;
        if (j >= cs + 2 && tlen(c, j - 1) == 2 &&
            memcmp(tstr(c, j - 1), "as", 2) == 0) {
            const struct referent_tok *x = &c->t[j - 2];
            if (!x->cls && !digit_start(c, j - 2))
                return res(); /* an unknown word: a name */
        }
    }
    /* "Encouraged the nurses to speak up": the object right before "to"
     * is the subject of the infinitive. */
    if (tfirst >= cs + 2 && word_eq(c, tfirst - 1, "to") &&
        c->t[tfirst - 2].mention && !c->t[tfirst - 2].poss &&
        !prep_object(c, tfirst - 2, cs))
        return of_who(c->t[tfirst - 2].who);
    /* A hit inside a prepositional phrase ("greets patients with a
     * smile") tells how the clause's subject acts: skip to the subject. */
    int in_pp = 0;
    for (size_t d = 1; d <= 3 && d <= tfirst - cs; d++) {
        const struct referent_tok *p = &c->t[tfirst - d];
        if (p->cls & W_PREP) {
            in_pp = !(tlen(c, tfirst - d) == 2 &&
                      memcmp(tstr(c, tfirst - d), "as", 2) == 0);
            break;
        }
        if (!(p->cls & (W_DET | W_INTENS)) && !(p->cls == 0 && d == 1))
            break;
    }
    /* 6. The nearest mention before the hit in its clause, linked to it
     * by known words only (copulas, auxiliaries, determiners, degree
     * words ...): a word not in the table between them may be a verb
     * whose object the hit is ("nurses report an attitude problem",
     * "greets patients with a smile"), and then the hit is counted. */
    int unknown = 0;
    for (size_t j = tfirst; j-- > cs;) {
        const struct referent_tok *x = &c->t[j];
        if (x->mention && !prep_object(c, j, cs)) {
            if (unknown || (in_pp && (size_t)cl->subj != j))
                return res();
            return of_who(x->who);
        }
        if (!x->cls && !x->mention && j + 1 < tfirst &&
            !prep_object(c, j, cs)) /* "a patient with delirium became" */
            unknown = 1;
    }
    if (cl->subj >= 0 && (size_t)cl->subj >= tfirst)
        return res(); /* "An outstanding intern.": a fragment */
    if (cl->cref)
        return of_who((uint8_t)(cl->cref - 1));
    return res();
}

void referent_label(const struct referent *r, char *buf, size_t n)
{
    if (!n)
        return;
    const char *pre = r->kind == REF_OTHER    ? "other:"
                      : r->kind == REF_QUOTED ? "quoted:"
                                              : "";
    if (r->kind == REF_RESIDENT)
        buf[0] = '\0';
    else
        snprintf(buf, n, "%s%s", pre, r->why);
}
