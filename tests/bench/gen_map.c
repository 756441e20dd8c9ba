#include "gen_map.h"

/*
 * Every touchpoint gets its own words: name, action, thought, pain, opportunity and backstage
 * are built from word lists picked by a deterministic generator and carry the touchpoint's
 * number, so no two touchpoints share a text and a measuring cache cannot make the benchmark
 * look better than a real map. Channels and owners come from short lists, as in real maps.
 * About 6 texts per touchpoint: name, channel, action, thought, and half the time each a pain,
 * an opportunity, and a backstage note with its owner.
 */

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const stages[] = {"awareness", "consideration", "decision", "retention"};
static const char *const personas[] = {"maya", "tom", "ines"};
static const char *const channels[] = {"web", "app", "social", "e-mail", "store", "phone"};
static const char *const owners[] = {"Marketing", "Support", "Logistics", "Product", "Finance"};
static const char *const subjects[] = {"Friend's post",  "Search ad",     "Pricing page",
                                       "Delivery slots", "Basket review", "Checkout",
                                       "Order tracking", "Substitutions", "Receipt e-mail",
                                       "Loyalty points", "Referral code", "Support chat"};
static const char *const verbs[] = {"Scrolls past", "Compares", "Reads", "Saves",     "Opens",
                                    "Checks",       "Shares",   "Skips", "Asks about"};
static const char *const objects[] = {
    "the delivery fee",  "three shops' prices", "the weekly basics", "the confirmation e-mail",
    "a coupon",          "the slot calendar",   "the oat milk swap", "the returns policy",
    "a review by a mum", "the minimum order",   "the app banner",    "the bag deposit"};
static const char *const places[] = {"on the bus",    "during lunch", "after the school run",
                                     "late at night", "in the queue", "on Saturday morning",
                                     "at her desk",   "with a friend"};
static const char *const feelings[] = {"Could this free up my", "Why is the fee hidden on",
                                       "I hope they keep my",   "That was easier than",
                                       "Is it worth it for",    "Nobody told me about",
                                       "I would pay more for",  "Let me think about"};
static const char *const things[] = {"Saturday", "order",  "basket", "week",  "budget",
                                     "evening",  "family", "slot",   "money", "routine"};

/* A 64-bit linear congruential step; unsigned arithmetic only, the same on every machine. */
static unsigned long long next(unsigned long long *x)
{
    *x = *x * 6364136223846793005ull + 1442695040888963407ull;
    return *x >> 33;
}

static const char *pick(unsigned long long *x, const char *const *list, size_t n)
{
    return list[next(x) % n];
}

void gen_map(FILE *out, size_t n, bool light)
{
    fprintf(out,
            "jmap: 1\ntitle: Benchmark journey with %zu touchpoints\nstate: current\n"
            "model: classic\npersonas:\n",
            n);
    for (size_t i = 0; i < 3; i++)
        fprintf(out, "  - {id: %s, name: Persona %zu, role: Shopper}\n", personas[i], i + 1);
    fputs("stages:\n", out);
    for (size_t s = 0; s < 4; s++)
        fprintf(out,
                "  - id: %s\n    goal: Move on to the next step\n    kpis:\n"
                "      - {name: Reach, target: 50000, actual: %zu, unit: people}\n",
                stages[s], 40000 + s * 5000);
    fputs("touchpoints:\n", out);
    unsigned long long x = 12345;
    for (size_t i = 0; i < n; i++) {
        size_t stage = i * 4 / (n ? n : 1);
        size_t no = i + 1;
        int emotion = (int)(next(&x) % 5) - 2;
        fprintf(out, "  - stage: %s\n    persona: %s\n", stages[stage], personas[i % 3]);
        fprintf(out, "    name: %s %zu\n", pick(&x, subjects, N_OF(subjects)), no);
        const char *channel = pick(&x, channels, N_OF(channels));
        if (!light)
            fprintf(out, "    channel: %s\n", channel);
        fprintf(out, "    action: %s %s %s, step %zu of the trip\n", pick(&x, verbs, N_OF(verbs)),
                pick(&x, objects, N_OF(objects)), pick(&x, places, N_OF(places)), no);
        if (light) {
            fprintf(out, "    emotion: %d\n", emotion);
            continue;
        }
        fprintf(out, "    thought: \"%s %s %s? (note %zu)\"\n", pick(&x, feelings, N_OF(feelings)),
                no % 2 ? "my" : "the", pick(&x, things, N_OF(things)), no);
        fprintf(out, "    emotion: %d\n", emotion);
        unsigned long long extras = next(&x);
        if (extras & 1)
            fprintf(out, "    pain: %s only shown at step %zu\n", pick(&x, objects, N_OF(objects)),
                    no);
        if (extras & 2)
            fprintf(out, "    opportunity: Show %s earlier, before step %zu\n",
                    pick(&x, objects, N_OF(objects)), no);
        if (extras & 4)
            fprintf(out, "    backstage: Team reviews %s for case %zu\n    owner: %s\n",
                    pick(&x, objects, N_OF(objects)), no, pick(&x, owners, N_OF(owners)));
    }
}
