#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/confine.h"

/*
 * Maps named on the command line. The command line is the CI job's, but a glob over
 * `maps/` expands to whatever the pull request committed, symbolic links included: a
 * link `maps/x.yaml -> /home/runner/.aws/credentials` would be read as a map and its lines
 * quoted in diagnostics. So the links met in a relative path may not lead above where the path
 * starts: the leading `.` and `..` components were typed by the job, the rest came from the
 * tree. An absolute path is the job's own choice and is read as it is. The folders outputs
 * go to follow the same rule (src/cli/build_plan.c): a committed link `public -> ~/.ssh` must
 * not steer the job's writes.
 */

/* Length of the leading run of "." and ".." components, with their slashes. */
static size_t dots_prefix(const char *path)
{
    size_t at = 0;
    for (;;) {
        size_t n = strcspn(path + at, "/");
        bool dots = (n == 1 && path[at] == '.') || (n == 2 && path[at] == '.' && path[at + 1] == '.');
        if (!dots || path[at + n] != '/')
            return at;
        at += n;
        while (path[at] == '/')
            at++;
    }
}

bool cli_links_stay_inside(const char *path, char **anchor)
{
    *anchor = NULL;
    if (path[0] == '/' || strcmp(path, "-") == 0)
        return true;
    size_t prefix = dots_prefix(path);
    char *root = prefix ? jmap_xstrndup(path, prefix) : jmap_xstrdup(".");
    char *real = NULL;
    int err = 0;
    /* Missing or unreadable is not this check's business: the reader or writer says so. */
    bool inside = jmap_confine_path(root, path + prefix, &real, &err) != JMAP_CONFINE_OUTSIDE;
    free(real);
    if (inside)
        free(root);
    else
        *anchor = root;
    return inside;
}

bool cli_input_confined(const char *path, jmap_diags *d)
{
    char *anchor = NULL;
    if (cli_links_stay_inside(path, &anchor))
        return true;
    jmap_diag_add(d, JMAP_SEV_ERROR, "path-outside-tree", (jmap_loc){.file = path},
                  "'%s' leads through a symbolic link outside '%s'", path, anchor);
    jmap_diag_hint(d, "a map is read through links only while they stay inside the folder its "
                      "path starts from; name the target itself");
    free(anchor);
    return false;
}
