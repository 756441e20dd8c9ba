#include "jmap/model.h"

#include <string.h>

const char *const jmap_lane_names[JMAP_LANE_COUNT] = {
    [JMAP_LANE_STAGES] = "stages",
    [JMAP_LANE_TOUCHPOINTS] = "touchpoints",
    [JMAP_LANE_ACTIONS] = "actions",
    [JMAP_LANE_THOUGHTS] = "thoughts",
    [JMAP_LANE_EMOTIONS] = "emotions",
    [JMAP_LANE_PAINS] = "pains",
    [JMAP_LANE_OPPORTUNITIES] = "opportunities",
    [JMAP_LANE_BACKSTAGE] = "backstage",
    [JMAP_LANE_KPIS] = "kpis",
};

const char *jmap_lane_name(jmap_lane lane)
{
    return (unsigned)lane < JMAP_LANE_COUNT ? jmap_lane_names[lane] : NULL;
}

bool jmap_lane_from_name(const char *name, jmap_lane *out)
{
    for (unsigned i = 0; i < JMAP_LANE_COUNT; i++) {
        if (strcmp(name, jmap_lane_names[i]) == 0) {
            *out = (jmap_lane)i;
            return true;
        }
    }
    return false;
}
