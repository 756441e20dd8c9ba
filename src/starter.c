#include "jmap/starter.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/diag.h"
#include "jmap/load.h"
#include "jmap/stages.h"

/*
 * Example content for a starter map, keyed by the stage ids of the built-in models. A stage
 * of some other model gets a neutral placeholder. The examples are meant to be replaced, but
 * they should read like a real map so that the first `jmap build` already shows what a
 * journey map looks like.
 */
typedef struct example {
    const char *stage, *name, *channel, *action, *thought, *emotion, *pain, *opportunity;
} example;

static const example examples[] = {
    {"awareness", "Social media ad", "social", "Sees an ad while scrolling through a feed",
     "Huh, I didn't know this existed", "1", "The ad looks like many others",
     "Show a real customer's story"},
    {"consideration", "Comparison of options", "web",
     "Compares features, prices and reviews of three options", "Which one is really right for me?",
     "0", "Prices are hard to compare", "A clear comparison table"},
    {"decision", "Checkout", "web", "Chooses a plan and pays", "I hope there are no hidden costs",
     "-1", "Delivery costs appear only at the end", "Show the full price from the start"},
    {"retention", "Reminder e-mail", "email", "Gets a reminder of what is new and comes back",
     "Good, I had forgotten about that", "1", "Too many marketing e-mails",
     "Let customers choose how often they hear from us"},
    {"pre-purchase", "Product search", "search", "Searches for options and reads about them",
     "There are so many to choose from", "0", "Too much information of uneven quality",
     "A short guide to choosing"},
    {"purchase", "Online checkout", "web", "Orders and pays", "I hope this goes through quickly",
     "-1", "Has to create an account first", "Let people check out as a guest"},
    {"post-purchase", "Delivery and first use", "in person",
     "Unpacks the product and starts using it", "Does it work as promised?", "1",
     "The instructions are hard to follow", "A quick-start video"},
    {"advocacy", "Recommendation to a friend", "word of mouth",
     "Recommends the product to a friend and writes a review", "Others should know about this", "2",
     NULL, "Reward referrals"},
    {"favorability", "Customer reviews", "web", "Reads reviews and asks friends what they think",
     "People seem to like this one", "1", "Reviews are hard to trust",
     "Show reviews from verified buyers"},
    {"intent", "Shopping cart", "web", "Puts the product in the cart and checks delivery terms",
     "Can it arrive by Friday?", "0", "Delivery dates are vague",
     "Show the delivery date on the product page"},
    {"conversion", "Order confirmation", "web", "Completes the order and gets a confirmation",
     "Done, that was easy", "1", "A payment failed once without saying why",
     "Clear messages when a payment fails"},
    {"delight", "Onboarding call", "phone", "Gets help setting up and sees the first results",
     "They really want me to succeed", "2", NULL, "Share tips based on how they use the product"},
    {"attention", "Billboard", "outdoor", "Notices a bold ad on the way to work",
     "That's a catchy line", "1", "The brand name is hard to read",
     "Put a short web address on the ad"},
    {"interest", "Landing page", "web", "Clicks through to learn what the product does",
     "Tell me more", "1", "The page loads slowly on a phone", "A lighter mobile page"},
    {"desire", "Demo video", "web", "Watches a demo and imagines using the product",
     "I could really use this", "2", "The video does not mention the price",
     "Say what it costs in the video"},
    {"action", "Sign-up form", "web", "Fills in the form and buys", "Let's do it", "1",
     "The form asks for too much", "Ask only for what is needed"},
    {"consider", "Brands that come to mind", "in person",
     "Thinks of the brands they already know when the need arises",
     "I'll start with the ones I've heard of", "0", "Our brand is not among them",
     "Be present where the need first appears"},
    {"evaluate", "Online reviews", "web",
     "Reads reviews and asks friends, adding and dropping brands",
     "Which one do people actually recommend?", "0", "Opinions contradict each other",
     "Answer questions under reviews"},
    {"buy", "In-store purchase", "in store", "Picks a product at the shelf and pays",
     "This one looks right", "1", "A long queue at the till", "Pay by phone at the shelf"},
    {"experience", "First weeks of use", "in person", "Uses the product and looks up tips online",
     "Am I getting the most out of it?", "1", "Help is hard to find",
     "A series of how-to tips after purchase"},
    {"advocate", "Online review", "web", "Posts a review and recommends the brand",
     "Everyone should know about this", "2", NULL, "Invite happy customers to write a review"},
    {"bond", "Loyalty programme", "app",
     "Joins the loyalty programme and buys again without shopping around", "Why look elsewhere?",
     "2", NULL, "Reward the second purchase"},
    {"see", "Blog article", "web", "Reads a useful article that mentions the brand",
     "Interesting, I'll remember that", "1", NULL, "Helpful content without a hard sell"},
    {"think", "Buying guide", "web", "Reads a buying guide and compares options",
     "Maybe I need one of these soon", "0", "The guide is too technical",
     "A plain-language comparison"},
    {"do", "Product page", "web", "Reads the product page and buys", "This is the one", "1",
     "Shipping costs come as a surprise", "Free shipping above a threshold"},
    {"care", "Support chat", "chat", "Asks a question and gets a quick answer",
     "They look after me", "1", "Waited ten minutes for an agent",
     "Answer common questions in the app"},
    {"aware", "Video ad", "video", "Sees an ad before a video", "Never heard of them", "0",
     "Skips the ad after five seconds", "Get the message across in five seconds"},
    {"appeal", "Brand's social profile", "social",
     "Looks through the brand's posts and is drawn in", "I like their style", "1", NULL,
     "Consistent, recognisable posts"},
    {"ask", "Question to friends", "messaging", "Asks friends and searches for reviews",
     "Has anyone tried it?", "0", "Few independent reviews",
     "Encourage customers to share their experience"},
    {"act", "First purchase", "web", "Buys and starts using the product",
     "Let's see if it lives up to the hype", "1", "Delivery took a week",
     "Faster delivery options"},
    {"acquisition", "Search result", "search",
     "Finds the product through a search and visits the site", "Looks promising", "1",
     "The first screen says little", "State the value in one sentence"},
    {"activation", "First session", "app", "Signs up and completes the first task",
     "Oh, that was easy", "2", "Too many steps before the first result",
     "Shorten onboarding to one screen"},
    {"referral", "Invite a colleague", "app", "Invites a colleague to join",
     "They'd find this useful too", "1", "The invitation link is hard to find",
     "Reward both sides of an invitation"},
    {"revenue", "Upgrade to a paid plan", "app", "Upgrades when the free plan runs out",
     "Worth paying for", "0", "The price jump is steep", "A smaller plan in between"},
    {"problem-identification", "Internal review meeting", "meeting",
     "The team sees that the current way of working costs too much time",
     "We can't go on like this", "-1", "Nobody owns the problem",
     "A calculator for the cost of doing nothing"},
    {"solution-exploration", "Analyst report", "web", "Reads analyst reports and vendor content",
     "What kinds of tool exist?", "0", "Vendor content is all sales talk", "Vendor-neutral guides"},
    {"requirements-building", "Requirements workshop", "meeting",
     "Writes down what the solution must do", "What do we really need?", "0",
     "Each department wants something else", "A requirements template buyers can reuse"},
    {"supplier-selection", "Vendor demo", "video call",
     "Watches scripted demos from the shortlisted vendors", "Which one fits our process?", "1",
     "The demos are hard to compare", "A demo on the buyer's own data"},
    {"validation", "Reference call", "phone", "Talks to an existing customer of the vendor",
     "Does it really work for companies like ours?", "1", "Few references in our industry",
     "Case studies by industry"},
    {"consensus-creation", "Steering committee", "meeting",
     "Presents the choice to the other stakeholders", "Will finance and IT sign off?", "-1",
     "Late objections from IT security", "Material each stakeholder can use"},
};

/* Placeholder targets for the suggested KPIs: a unit where one is obvious, and which way is
 * better where lower is. */
typedef struct kpi_hint {
    const char *name, *unit, *target;
    bool lower;
} kpi_hint;

static const kpi_hint kpi_hints[] = {
    {"Reach", "people", "50000", false},
    {"Impressions", NULL, "200000", false},
    {"Branded search volume", "per month", "2000", false},
    {"Website sessions", "per month", "10000", false},
    {"Social media mentions", "per month", "300", false},
    {"Social followers", NULL, "5000", false},
    {"Share of voice", "%", "20", false},
    {"Aided brand awareness", "%", "40", false},
    {"Unaided brand awareness", "%", "15", false},
    {"Click-through rate", "%", "2.5", false},
    {"Cost per click", NULL, "1.5", true},
    {"Cost per thousand impressions", NULL, "8", true},
    {"Engagement rate", "%", "5", false},
    {"Time on site", "seconds", "120", false},
    {"Pages per session", NULL, "3", false},
    {"Bounce rate", "%", "45", true},
    {"Returning visitors", "per month", "3000", false},
    {"Content downloads", "per month", "400", false},
    {"Marketing-qualified leads", "per month", "150", false},
    {"Form completion rate", "%", "60", false},
    {"Demo requests", "per month", "40", false},
    {"Free-trial sign-ups", "per month", "200", false},
    {"Add-to-cart rate", "%", "8", false},
    {"Cart abandonment rate", "%", "60", true},
    {"Conversion rate", "%", "3", false},
    {"Customer acquisition cost", NULL, "50", true},
    {"Cost per acquisition", NULL, "40", true},
    {"Average order value", NULL, "60", false},
    {"Sales cycle length", "days", "30", true},
    {"Win rate", "%", "25", false},
    {"Lead-to-customer rate", "%", "10", false},
    {"Revenue", "per month", "100000", false},
    {"Return on marketing investment", "%", "300", false},
    {"Activation rate", "%", "40", false},
    {"Time to first value", "days", "1", true},
    {"Onboarding completion rate", "%", "70", false},
    {"Retention rate", "%", "80", false},
    {"Churn rate", "%", "5", true},
    {"Repeat purchase rate", "%", "30", false},
    {"Renewal rate", "%", "85", false},
    {"Customer lifetime value", NULL, "500", false},
    {"Average revenue per user", "per month", "25", false},
    {"Monthly recurring revenue", NULL, "50000", false},
    {"Net Promoter Score", NULL, "40", false},
    {"Customer satisfaction", "%", "85", false},
    {"Customer effort score", NULL, "2", true},
    {"Referral rate", "%", "10", false},
    {"Viral coefficient", NULL, "0.5", false},
    {"Number of reviews", "per month", "50", false},
    {"Average review rating", "stars", "4.5", false},
    {"User-generated content shares", "per month", "100", false},
    {"Purchase action ratio", "%", "10", false},
    {"Brand advocacy ratio", "%", "5", false},
    {"Buying-group stakeholders engaged", "people", "6", false},
    {"Reference calls", "per quarter", "10", false},
};

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void put(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *t = jmap_xvprintf(fmt, ap);
    va_end(ap);
    size_t n = strlen(t);
    b->s = jmap_xgrow(b->s, &b->cap, b->len + n + 1, 1);
    memcpy(b->s + b->len, t, n + 1);
    b->len += n;
    free(t);
}

static bool is_reserved_word(const char *s)
{
    static const char *const words[] = {"y",     "n",  "yes", "no",   "true",
                                        "false", "on", "off", "null", "~"};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        const char *w = words[i];
        size_t k = 0;
        while (w[k] && s[k] && (s[k] | 0x20) == w[k])
            k++;
        if (!w[k] && !s[k])
            return true;
    }
    return false;
}

/* A plain scalar only when YAML cannot read it as anything but this string. */
static bool plain_ok(const char *s)
{
    unsigned char c0 = (unsigned char)s[0];
    if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') || c0 >= 0x80))
        return false;
    size_t n = strlen(s);
    if (s[n - 1] == ' ' || s[n - 1] == ':' || strstr(s, ": ") || strstr(s, " #"))
        return false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
    }
    return !is_reserved_word(s);
}

static void put_quoted(buf *b, const char *s)
{
    put(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            put(b, "\\%c", *p);
        else if (*p == '\n')
            put(b, "\\n");
        else if (*p < 0x20 || *p == 0x7f)
            put(b, "\\x%02x", *p);
        else
            put(b, "%c", *p);
    }
    put(b, "\"");
}

static void put_scalar(buf *b, const char *s)
{
    if (plain_ok(s))
        put(b, "%s", s);
    else
        put_quoted(b, s);
}

/* Text for a comment: one line, whatever the model file held. */
static void put_comment_text(buf *b, const char *s)
{
    for (const char *p = s; *p; p++)
        put(b, "%c", (*p == '\n' || *p == '\r') ? ' ' : *p);
}

static const example *example_for(const char *stage_id)
{
    for (size_t i = 0; i < sizeof(examples) / sizeof(examples[0]); i++) {
        if (strcmp(examples[i].stage, stage_id) == 0)
            return &examples[i];
    }
    return NULL;
}

static const kpi_hint *kpi_hint_for(const char *name)
{
    for (size_t i = 0; i < sizeof(kpi_hints) / sizeof(kpi_hints[0]); i++) {
        if (strcmp(kpi_hints[i].name, name) == 0)
            return &kpi_hints[i];
    }
    return NULL;
}

static const char *stage_name(const jmap_stage *st)
{
    return st->name.s ? st->name.s : st->id.s;
}

static void put_kpis(buf *b, const jmap_stage *st)
{
    bool any = false;
    for (size_t k = 0; k < st->n_suggested_kpis; k++) {
        const char *name = st->suggested_kpis[k].s;
        if (!name || !*name)
            continue;
        if (!any)
            put(b, "    kpis:\n");
        any = true;
        const kpi_hint *h = kpi_hint_for(name);
        put(b, "      - name: ");
        put_scalar(b, name);
        put(b, "\n        target: %s\n", h ? h->target : "100");
        if (h && h->unit) {
            put(b, "        unit: ");
            put_scalar(b, h->unit);
            put(b, "\n");
        }
        if (h && h->lower)
            put(b, "        better: lower\n");
    }
    if (!any) {
        /* A stage with no suggestion still needs a KPI, or check warns about it. */
        char *name = jmap_xprintf("%s rate", stage_name(st));
        put(b, "    kpis:\n      - name: ");
        put_scalar(b, name);
        put(b, "\n        target: 100\n        unit: \"%%\"\n");
        free(name);
    }
}

static void put_field(buf *b, const char *key, const char *value)
{
    if (!value)
        return;
    put(b, "    %s: ", key);
    put_scalar(b, value);
    put(b, "\n");
}

static void put_touchpoint(buf *b, const jmap_stage *st, const char *persona_line)
{
    const example *e = example_for(st->id.s);
    example fallback = {st->id.s,
                        NULL,
                        "web",
                        "What the customer does here",
                        "What the customer thinks here",
                        "0",
                        NULL,
                        "What we could do better here"};
    if (!e) {
        fallback.name = jmap_xprintf("%s touchpoint", stage_name(st));
        e = &fallback;
    }
    put(b, "  - stage: ");
    put_scalar(b, st->id.s);
    put(b, "\n    %s\n", persona_line);
    put_field(b, "name", e->name);
    put_field(b, "channel", e->channel);
    put_field(b, "action", e->action);
    put(b, "    thought: ");
    put_quoted(b, e->thought);
    put(b, "\n    emotion: %s\n", e->emotion);
    put_field(b, "pain", e->pain);
    put_field(b, "opportunity", e->opportunity);
    if (e == &fallback)
        free((char *)fallback.name);
}

char *jmap_starter_map(const jmap_stage_model *m, const char *model_id)
{
    buf b = {0};
    bool b2b = strcmp(model_id, "b2b-buying") == 0;
    const char *model_name = m->name.s ? m->name.s : model_id;

    put(&b, "# A starter journey map on the '%s' stage model. Every value below is an example:\n",
        model_id);
    put(&b, "# replace it with what you learn from research with real customers.\n");
    put(&b, "#   jmap check map.yaml             report problems, like a compiler\n");
    put(&b, "#   jmap build map.yaml -o map.svg  draw the map (.svg, .pdf or .png)\n");
    int pad = (int)strlen(model_id) < 18 ? 19 - (int)strlen(model_id) : 1;
    put(&b, "#   jmap stages %s%*s the model's stages and suggested KPIs\n", model_id, pad, "");
    put(&b, "jmap: 1\n");
    put(&b, "title: New customer journey\n");
    put(&b, "subtitle: ");
    char *sub = jmap_xprintf("Starter map, %s", model_name);
    put_scalar(&b, sub);
    free(sub);
    put(&b, "\nstate: current                  # current | future\n");
    put(&b, "model: ");
    put_scalar(&b, model_id);
    put(&b, "\n\n");

    put(&b, "personas:                        # who travels the journey\n");
    put(&b, "  - id: alex\n    name: Alex\n");
    put(&b, "    role: %s\n", b2b ? "Operations manager (champion)" : "First-time customer");
    put(&b, "    goals: [%s]\n", b2b ? "Fix the problem this year" : "Get it done quickly");
    put(&b, "  - id: sam\n    name: Sam\n");
    put(&b, "    role: %s\n", b2b ? "Finance director (economic buyer)" : "Long-time customer");
    put(&b, "    goals: [%s]\n\n", b2b ? "A clear return on the investment" : "Good value");

    put(&b, "stages:                          # detail for the model's stages; targets are "
            "placeholders\n");
    for (size_t i = 0; i < m->n_stages; i++) {
        const jmap_stage *st = &m->stages[i];
        if (!st->id.s)
            continue;
        put(&b, "  - id: ");
        put_scalar(&b, st->id.s);
        if (st->description.s) {
            put(&b, "  # ");
            put_comment_text(&b, st->description.s);
        }
        put(&b, "\n");
        if (i == 0)
            put(&b, "    # goal: what the customer wants to get done in this stage\n");
        put_kpis(&b, st);
    }

    put(&b, "\ntouchpoints:                     # in the order they happen; emotion from -2 to "
            "+2\n");
    size_t k = 0;
    for (size_t i = 0; i < m->n_stages; i++) {
        const jmap_stage *st = &m->stages[i];
        if (!st->id.s)
            continue;
        put_touchpoint(&b, st, k % 2 == 0 ? "persona: alex" : "persona: sam");
        if (k == 0) {
            put(&b, "  - stage: ");
            put_scalar(&b, st->id.s);
            put(&b, "\n    personas: [alex, sam]         # several personas; neither key = "
                    "all of them\n");
            put(&b, "    name: Recommendation from a %s\n", b2b ? "peer" : "friend");
            put(&b, "    channel: word of mouth\n");
            put(&b, "    action: Hears about the %s from someone they trust\n",
                b2b ? "vendor" : "product");
            put(&b, "    thought: \"If it works for them, it might work for me\"\n");
            put(&b, "    emotion: 1\n");
            put(&b, "    opportunity: Make a recommendation easy to pass on\n");
        }
        k++;
    }
    return b.s;
}

/* A built-in model parsed into `a`; NULL when it has errors (it never should). */
static jmap_stage_model *load_builtin(jmap_arena *a, const jmap_builtin_stage_model *bm)
{
    jmap_diags d;
    jmap_diags_init(&d);
    jmap_limits lim = jmap_limits_default();
    jmap_stage_model *m = jmap_load_stage_model(a, bm->file, bm->text, bm->len, &lim, &d);
    if (jmap_diags_failed(&d))
        m = NULL;
    jmap_diags_release(&d);
    return m;
}

void jmap_stage_models_list(FILE *out)
{
    size_t n;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    int width = 0;
    for (size_t i = 0; i < n; i++) {
        int len = (int)strlen(all[i].id);
        width = len > width ? len : width;
    }
    for (size_t i = 0; i < n; i++) {
        jmap_arena *a = jmap_arena_new();
        const jmap_stage_model *m = load_builtin(a, &all[i]);
        fprintf(out, "%-*s  ", width, all[i].id);
        if (!m) {
            fprintf(out, "(cannot be loaded)\n");
            jmap_arena_free(a);
            continue;
        }
        fprintf(out, "%s: ", m->name.s ? m->name.s : all[i].id);
        for (size_t s = 0; s < m->n_stages; s++)
            fprintf(out, "%s%s", s ? " → " : "", m->stages[s].id.s ? m->stages[s].id.s : "?");
        fprintf(out, "\n");
        jmap_arena_free(a);
    }
}

bool jmap_stage_model_describe(FILE *out, const char *id)
{
    const jmap_builtin_stage_model *bm = jmap_builtin_stage_model_find(id);
    if (!bm)
        return false;
    jmap_arena *a = jmap_arena_new();
    const jmap_stage_model *m = load_builtin(a, bm);
    if (!m) {
        jmap_arena_free(a);
        return false;
    }
    fprintf(out, "%s (%s)\n", m->name.s ? m->name.s : id, id);
    if (m->description.s)
        fprintf(out, "%s\n", m->description.s);
    for (size_t i = 0; i < m->n_stages; i++) {
        const jmap_stage *st = &m->stages[i];
        fprintf(out, "\n%zu. %s (%s)\n", i + 1, stage_name(st) ? stage_name(st) : "?",
                st->id.s ? st->id.s : "?");
        if (st->description.s)
            fprintf(out, "   %s\n", st->description.s);
        if (st->n_suggested_kpis) {
            fprintf(out, "   Suggested KPIs: ");
            for (size_t k = 0; k < st->n_suggested_kpis; k++)
                fprintf(out, "%s%s", k ? ", " : "",
                        st->suggested_kpis[k].s ? st->suggested_kpis[k].s : "?");
            fprintf(out, "\n");
        }
    }
    fprintf(out, "\nStart a map on it: jmap new --model %s -o map.yaml\n", id);
    jmap_arena_free(a);
    return true;
}
