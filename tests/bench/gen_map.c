#include "gen_map.h"

static const char *const stages[] = {"awareness", "consideration", "decision", "retention"};
static const char *const personas[] = {"maya", "tom", "ines"};
static const char *const actions[] = {
    "Scrolls past a friend's post about delivery slots and saves it for later",
    "Compares prices of three shops on her phone during the commute",
    "Adds the weekly basics to the cart and looks for a delivery slot",
    "Reads the confirmation e-mail and checks the substitutions",
};
static const char *const thoughts[] = {
    "Could this free up my Saturday?",
    "Why is the delivery fee only shown at the end?",
    "I hope they do not swap my oat milk again.",
    "That was easier than the supermarket on a Saturday.",
};

void gen_map(FILE *out, size_t n)
{
    fprintf(out, "jmap: 1\ntitle: Benchmark journey with %zu touchpoints\nstate: current\n"
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
    /* Unsigned arithmetic only, so the map is the same on every machine. */
    unsigned long x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245ul + 12345ul;
        size_t stage = i * 4 / (n ? n : 1);
        int emotion = (int)((x >> 16) % 5) - 2;
        fprintf(out,
                "  - stage: %s\n    persona: %s\n    name: Touchpoint %zu\n    channel: web\n"
                "    action: %s\n    thought: \"%s\"\n    emotion: %d\n",
                stages[stage], personas[i % 3], i + 1, actions[(x >> 8) % 4],
                thoughts[(x >> 12) % 4], emotion);
        if (i % 5 == 0)
            fputs("    pain: Delivery fee only shown at checkout\n", out);
        if (i % 7 == 0)
            fputs("    opportunity: Show the fee on the product page\n", out);
    }
}
