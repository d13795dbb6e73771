/* review_page.c - one reviewer's review.html (see review.h): the items of
 * the packet, and a script that keeps the reviewer's work.
 *
 * The script saves each verdict and comment as it is made in the
 * browser's localStorage under "evalbias-review:PACKET_ID" (so two packets
 * never mix), restores them on load, warns before the page is left with
 * work not yet downloaded, shows the items 50 a page with each page's
 * progress, and takes j / k (next / previous item) and 1 / 2 / 3 (biased /
 * not biased / unsure). The download is verdicts-PACKET_ID-RN.csv:
 *   packet_id,reviewer,item_id,verdict,comment
 * with verdict biased, not_biased, unsure or empty, every cell guarded and
 * quoted as report_cell does. It works from a file:// URL and inserts no
 * text as markup. Without script the page still reads and prints whole. */
#include <string.h>

#include "html.h"
#include "review_private.h"

static const char css[] =
    "*{box-sizing:border-box}body{margin:0;color:#1b1b1b;background:#fff;"
    "font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,Arial,"
    "sans-serif}\n"
    "header,main{max-width:900px;margin:0 auto;padding:0 1rem}"
    "header{border-bottom:3px solid #1d4f7c;padding:1rem 1rem .5rem}\n"
    "h1{font-size:1.5rem;margin:.2rem 0}.muted{color:#4d4d4d}\n"
    "ol.rv{list-style:none;padding:0}li.rv{border:1px solid #c8c8c8;"
    "border-radius:4px;padding:.5rem .9rem;margin:.8rem 0}\n"
    "li.rv.cur{outline:3px solid #1d4f7c;outline-offset:2px}\n"
    "li.rv h2{font-size:1rem;margin:.1rem 0}blockquote{margin:.4rem 0;"
    "padding-left:.8rem;border-left:3px solid #1d4f7c}\n"
    "mark{background:#ffe28a;color:inherit;border-bottom:2px solid #7a5c00}"
    "mark.neg{background:#e4e4e4;border-bottom:2px dashed #1b1b1b}\n"
    ".negtag,.gtag{font-weight:700;font-size:.8em;border:1px solid "
    "currentColor;border-radius:3px;padding:0 .25em;margin-left:.3em}\n"
    ".gtag{color:#7a2e00}\n"
    "fieldset{border:0;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;"
    "gap:.3rem 1.2rem}legend{float:left;margin-right:1rem;font-weight:600}\n"
    "textarea{width:100%;font:inherit}\n"
    "#tools,#pager{background:#f4f6f8;padding:.6rem .8rem;border-radius:4px;"
    "margin:.5rem 0}#pager{display:flex;flex-wrap:wrap;gap:.5rem;"
    "align-items:center}\n"
    "button,select{font:inherit}kbd{border:1px solid #888;border-radius:3px;"
    "padding:0 .2em;font-size:.9em}\n"
    "[hidden]{display:none!important}\n"
    "@media print{#tools,#pager,.noprint{display:none!important}li.rv{"
    "break-inside:avoid}mark{background:none;font-weight:700;border-bottom:"
    "1.5pt solid #000}mark.neg{font-style:italic;border-bottom:1.5pt dashed "
    "#000}textarea{border:1px solid #000;min-height:3em}}\n";

static const char script[] =
    "(function(){'use strict';var d=document,root=d.getElementById('review');"
    "\nif(!root)return;var PID=root.getAttribute('data-packet'),"
    "RN=root.getAttribute('data-reviewer'),KEY='evalbias-review:'+PID,"
    "PAGE=50;\n"
    "var items=Array.prototype.slice.call(d.querySelectorAll('li.rv')),"
    "np=Math.max(1,Math.ceil(items.length/PAGE)),page=0,cur=-1;\n"
    "var $=function(i){return d.getElementById(i);},out=$('done'),"
    "note=$('note'),sel=$('pagesel'),prev=$('prev'),next=$('next'),"
    "clr=$('clear');\n"
    "var st={v:{},c:{},dirty:false};\n"
    /* The same guard and quoting as report_cell (report.h). */
    "function q(s){s=String(s);if(/^'*[=+\\-@\\t\\r\\0]/.test(s))s=\"'\"+s;"
    "s=s.replace(/([;\\t])(?='*[=+\\-@\\t\\r\\0])/g,\"$1'\");"
    "return /[\",;\\t\\r\\n]/.test(s)?'\"'+s.replace(/\"/g,'\"\"')+'\"':s;}\n"
    "function save(){try{localStorage.setItem(KEY,JSON.stringify(st));}"
    "catch(e){note.textContent='This browser does not let the page save "
    "your judgements: download them before you close it.';}}\n"
    "function load(){try{var s=localStorage.getItem(KEY),o=s&&JSON.parse(s);"
    "if(o&&typeof o==='object'){st.v=o.v||{};st.c=o.c||{};"
    "st.dirty=!!o.dirty;}}catch(e){}}\n"
    "function has(o){for(var k in o)if(Object.prototype.hasOwnProperty."
    "call(o,k))return true;return false;}\n"
    "function fill(){items.forEach(function(li){var v=st.v[li.id]||'',"
    "c=st.c[li.id]||'';Array.prototype.forEach.call(li.querySelectorAll("
    "'input[type=radio]'),function(r){r.checked=r.value===v;});"
    "var t=li.querySelector('textarea');if(t)t.value=c;});}\n"
    "function status(){var a=page*PAGE,b=Math.min(items.length,a+PAGE),"
    "n=0,all=0,per=[];for(var p=0;p<np;p++)per.push(0);"
    "items.forEach(function(li,i){if(st.v[li.id]){all++;"
    "per[Math.floor(i/PAGE)]++;if(i>=a&&i<b)n++;}});\n"
    " for(var k=0;k<np;k++){var lo=k*PAGE,hi=Math.min(items.length,lo+PAGE);"
    "sel.options[k].textContent='Page '+(k+1)+' of '+np+': '+per[k]+' of '+"
    "(hi-lo)+' judged';}\n"
    " sel.value=String(page);prev.disabled=page===0;next.disabled=page>=np-1;"
    "\n out.textContent=n+' of '+(b-a)+' judged on this page; '+all+' of '+"
    "items.length+' in all.'+(st.dirty?' Not yet downloaded.':'');\n"
    " clr.hidden=st.dirty||!(has(st.v)||has(st.c));}\n"
    /* A page turned by hand: j starts at its first item. */
    "function show(p){page=Math.max(0,Math.min(np-1,p));"
    "items.forEach(function(li,i){li.hidden=Math.floor(i/PAGE)!==page;});"
    "if(cur>=0&&Math.floor(cur/PAGE)!==page){items[cur].classList.remove("
    "'cur');cur=page*PAGE-1;}status();}\n"
    "function focus(i){if(i<0||i>=items.length)return;"
    "if(Math.floor(i/PAGE)!==page)show(Math.floor(i/PAGE));"
    "if(cur>=0&&items[cur])items[cur].classList.remove('cur');cur=i;"
    "items[i].classList.add('cur');items[i].focus();}\n"
    "for(var k=0;k<np;k++){var op=d.createElement('option');"
    "op.value=String(k);sel.appendChild(op);}\n"
    "sel.addEventListener('change',function(){show(+sel.value);});\n"
    "prev.addEventListener('click',function(){show(page-1);});\n"
    "next.addEventListener('click',function(){show(page+1);});\n"
    "d.addEventListener('change',function(e){var t=e.target;"
    "if(t.type!=='radio')return;var li=t.closest('li.rv');if(!li)return;"
    "st.v[li.id]=t.value;st.dirty=true;save();status();});\n"
    "d.addEventListener('input',function(e){var t=e.target;"
    "if(t.tagName!=='TEXTAREA')return;var li=t.closest('li.rv');if(!li)"
    "return;if(t.value)st.c[li.id]=t.value;else delete st.c[li.id];"
    "st.dirty=true;save();status();});\n"
    "d.addEventListener('focusin',function(e){var li=e.target.closest&&"
    "e.target.closest('li.rv');if(li){var i=items.indexOf(li);if(i!==cur){"
    "if(cur>=0&&items[cur])items[cur].classList.remove('cur');cur=i;"
    "li.classList.add('cur');}}});\n"
    "d.addEventListener('keydown',function(e){var t=e.target,g=t.tagName;"
    "if(e.ctrlKey||e.metaKey||e.altKey||g==='TEXTAREA'||g==='SELECT'||"
    "(g==='INPUT'&&t.type!=='radio'))return;var k=e.key;\n"
    " if(k==='j'){focus(Math.min(items.length-1,cur+1));e.preventDefault();}"
    "\n else if(k==='k'){focus(Math.max(0,cur>=0&&items[cur].classList."
    "contains('cur')?cur-1:cur));e.preventDefault();}\n"
    " else if((k==='1'||k==='2'||k==='3')&&cur>=0){var r=items[cur]."
    "querySelectorAll('input[type=radio]')[+k-1];if(r){r.checked=true;"
    "r.dispatchEvent(new Event('change',{bubbles:true}));}"
    "e.preventDefault();}});\n"
    "window.addEventListener('beforeunload',function(e){if(st.dirty){"
    "e.preventDefault();e.returnValue='';return '';}});\n"
    "$('export').addEventListener('click',function(){\n"
    " var rows=['packet_id,reviewer,item_id,verdict,comment'];\n"
    " items.forEach(function(li){rows.push([PID,RN,li.id,st.v[li.id]||'',"
    "st.c[li.id]||''].map(q).join(','));});\n"
    " var b=new Blob([rows.join('\\r\\n')+'\\r\\n'],{type:'text/csv'}),"
    "a=d.createElement('a');\n"
    " a.href=URL.createObjectURL(b);a.download='verdicts-'+PID+'-'+RN+"
    "'.csv';d.body.appendChild(a);a.click();a.remove();\n"
    " st.dirty=false;save();status();});\n"
    "clr.addEventListener('click',function(){try{localStorage.removeItem("
    "KEY);}catch(e){}st={v:{},c:{},dirty:false};fill();status();"
    "note.textContent='Saved judgements cleared from this browser.';});\n"
    "load();fill();if(has(st.v)||has(st.c))note.textContent='Your saved "
    "judgements were restored from this browser.';\n"
    "$('tools').hidden=false;$('pager').hidden=false;show(0);\n"
    "})();\n";

static void thousands(FILE *f, unsigned long long v)
{
    char d[24];
    int len = snprintf(d, sizeof d, "%llu", v);
    for (int i = 0; i < len; i++) {
        if (i && (len - i) % 3 == 0)
            fputc(',', f);
        fputc(d[i], f);
    }
}

/* What blinding covers, exactly, with this packet's counts. */
static void blinding(FILE *f, const struct rv_item *items,
                     const struct rv_packet *p, const struct rv_summary *s)
{
    size_t gendered = 0;
    for (size_t i = 0; i < p->n; i++)
        gendered += items[p->idx[i]].gendered != 0;
    fputs("<details id=\"blinding\"><summary>What blinding covers</summary>"
          "\n<ul>\n<li>Names: ", f);
    thousands(f, s->residents);
    fputs(" residents&rsquo; and ", f);
    thousands(f, s->evaluators);
    fputs(" evaluators&rsquo; names", f);
    if (s->names) {
        fputs(" and ", f);
        thousands(f, s->names);
        fputs(" more listed names", f);
    }
    fputs(" are replaced by [resident], [evaluator] or [name] in any case, "
          "with or without accents, in full-width or with invisible "
          "characters, as &ldquo;Last, First&rdquo; or &ldquo;First "
          "Last&rdquo;, hyphenated or with an apostrophe (and with the sign "
          "left out), and inside e-mail addresses. A nickname or misspelling "
          "the run was not given stays.</li>\n", f);
    if (s->keep_gendered)
        fputs("<li>Gendered words are <strong>not</strong> masked in this "
              "packet (--keep-gendered).</li>\n", f);
    else
        fputs("<li>Gendered pronouns (he, she, him, her, his, hers, "
              "himself, herself), honorifics (Mr, Mrs, Ms, Miss, Sir ...), "
              "kin (husband, wife, son, daughter, mother, father ...) and "
              "person nouns (man, woman ...) are replaced by [they], "
              "[title], [partner], [child], [parent], [person] ... outside "
              "the marked wording. Other clues to gender (a pregnancy, a "
              "first name the run did not know) stay.</li>\n", f);
    fputs("<li>The marked wording itself is never masked: ", f);
    thousands(f, gendered);
    fputs(" of ", f);
    thousands(f, p->n);
    fputs(" items <strong>cannot be blinded</strong>, because the marked "
          "wording is itself gendered (they carry the tag <span "
          "class=\"gtag\">cannot be blinded</span>).</li>\n", f);
    fputs("<li>No cohort, evaluation or resident is shown; the order is "
          "random and the key that undoes it is not in this packet.", f);
    if (!s->show_categories)
        fputs(" The lexicon category of each wording is not shown.", f);
    fputs("</li>\n</ul></details>\n", f);
}

void review_page_write(FILE *f, const struct rv_item *items,
                       const struct rv_packet *p, const struct rv_summary *s)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
          f);
    html_head_csp(f, script);
    fputs("<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
          "<title>Excerpt review packet</title>\n<style>\n", f);
    fputs(css, f);
    fputs("</style>\n</head>\n<body>\n<header>\n<h1>Excerpt review packet"
          "</h1>\n", f);
    fprintf(f, "<p>Packet <strong>%s</strong>, reviewer <strong>%s</strong>"
               ": %zu flagged excerpts from narrative evaluations, in a "
               "random order", p->id, p->reviewer, p->n);
    if (s->reviewers > 1)
        fprintf(f, " (%zu of them are in all %u reviewers&rsquo; packets, "
                   "so the committee can measure agreement)",
                s->overlap, s->reviewers);
    fputs(". For each excerpt, judge whether the <mark>marked</mark> wording "
          "is used in a gender-biased way: <strong>biased</strong>, <strong>"
          "not biased</strong> or <strong>unsure</strong>, and add a comment "
          "if you wish. A hit marked <span class=\"negtag\">negated</span> "
          "was preceded by a negation (&ldquo;not bossy&rdquo;).</p>\n", f);
    fputs("<p class=\"noprint\">Your judgements are saved in this browser as "
          "you make them (they stay in its profile until you clear them) "
          "and come back when you reopen this file. When you are done, "
          "download them and send the file <code>verdicts-", f);
    fprintf(f, "%s-%s.csv</code> to the committee chair. Keys: <kbd>j</kbd> "
               "/ <kbd>k</kbd> next / previous excerpt, <kbd>1</kbd> biased, "
               "<kbd>2</kbd> not biased, <kbd>3</kbd> unsure.</p>\n",
            p->id, p->reviewer);
    fputs("<p class=\"muted\">Confidential: these are quotations from "
          "personnel evaluations.</p>\n", f);
    blinding(f, items, p, s);
    if (s->total > s->rows) {
        fputs("<p id=\"cap\"><strong>", f);
        thousands(f, s->rows);
        fputs(" of ", f);
        thousands(f, s->total);
        fputs(" excerpts.</strong> A packet holds at most ", f);
        thousands(f, s->max_excerpts);
        fputs(": for each term the first ones, as many for each term as "
              "that allows, so rare terms are not crowded out.</p>\n", f);
    }
    fputs("<div id=\"tools\" class=\"noprint\" hidden><button type=\"button\" "
          "id=\"export\">Download my judgements (CSV)</button> "
          "<button type=\"button\" id=\"clear\" hidden>Clear saved "
          "judgements</button> <span id=\"done\" aria-live=\"polite\"></span>"
          " <span id=\"note\" aria-live=\"polite\"></span></div>\n"
          "<nav id=\"pager\" class=\"noprint\" aria-label=\"Pages\" hidden>"
          "<button type=\"button\" id=\"prev\">Previous page</button>"
          "<label>Go to <select id=\"pagesel\"></select></label>"
          "<button type=\"button\" id=\"next\">Next page</button></nav>\n"
          "</header>\n<main>\n", f);
    fprintf(f, "<div id=\"review\" data-packet=\"%s\" data-reviewer=\"%s\">"
               "\n<ol class=\"rv\">\n", p->id, p->reviewer);
    for (size_t i = 0; i < p->n; i++) {
        const struct rv_item *it = &items[p->idx[i]];
        fprintf(f, "<li class=\"rv\" id=\"%s\" tabindex=\"-1\"><h2>%s "
                   "<span class=\"muted\">&middot; ", it->id, it->id);
        if (s->show_categories) {
            /* every lexicon x category that matched this span */
            fputs("<bdi>", f);
            html_str(f, it->lex);
            fputs("</bdi> / <bdi>", f);
            html_str(f, it->cat);
            fputs("</bdi> &middot; term &ldquo;<bdi>", f);
            html_str(f, it->term);
            fputs("</bdi>&rdquo; &middot; ", f);
        }
        html_bdi_str(f, it->column);
        fputs("</span>", f);
        if (it->negated)
            fputs("<span class=\"negtag\">negated</span>", f);
        if (it->gendered)
            fputs("<span class=\"gtag\">cannot be blinded</span>", f);
        fputs("</h2>\n<blockquote dir=\"auto\">", f);
        html_str(f, it->a);
        if (*it->b) {
            fputs(it->negated ? "<mark class=\"neg\">" : "<mark>", f);
            html_str(f, it->b);
            fputs("</mark>", f);
            html_str(f, it->c);
        }
        fprintf(f, "</blockquote>\n<fieldset><legend>Judgement</legend>");
        static const char *const val[] = {"biased", "not_biased", "unsure"};
        static const char *const txt[] = {"biased", "not biased", "unsure"};
        for (int c = 0; c < 3; c++)
            fprintf(f, "<label><input type=\"radio\" name=\"j-%s\" "
                       "value=\"%s\"> %s</label>", it->id, val[c], txt[c]);
        fprintf(f, "</fieldset>\n<label>Comment<textarea name=\"c-%s\" "
                   "rows=\"2\"></textarea></label></li>\n", it->id);
    }
    fputs("</ol>\n</div>\n</main>\n<script>", f);
    fputs(script, f);
    fputs("</script>\n</body>\n</html>\n", f);
}
