/* libFuzzer: any bytes as an output on disk whose stamp --check reads back, the first byte
 * choosing the format. A stamp found is short and holds no NUL; the reason quoted from it is
 * sanitised and bounded. And any bytes through the stamper come out as they went in, with at
 * most the stamp inserted once. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/provenance.h"
#include "jmap/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct buf {
    unsigned char *data;
    size_t len, cap;
} buf;

static bool put(void *closure, const unsigned char *d, size_t n)
{
    buf *b = closure;
    b->data = jmap_xgrow(b->data, &b->cap, b->len + n + 1, 1);
    memcpy(b->data + b->len, d, n);
    b->len += n;
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static jmap_provenance *now;
    if (!now)
        now = jmap_provenance_new(NULL, NULL); /* no fonts needed: the libraries' versions */
    if (size < 2)
        return 0;
    jmap_format f = (jmap_format)(data[0] % 3);
    size_t step = data[1] % 64;
    data += 2;
    size -= 2;

    char *stamp = jmap_stamp_find(f, data, size);
    if (stamp && strlen(stamp) > 1024)
        abort();
    char *why = jmap_stamp_explain(stamp, now);
    if (why && (!jmap_sanitize_clean(why, strlen(why)) || strlen(why) > 2048))
        abort();
    free(why);
    free(stamp);

    buf out = {0};
    jmap_stamper s;
    jmap_stamper_init(&s, f, "jmap X", put, &out);
    for (size_t off = 0; off < size;) {
        size_t k = step && size - off > step ? step : size - off;
        jmap_stamper_put(&s, data + off, k);
        off += k;
    }
    jmap_stamper_end(&s);
    /* What went in comes out, in order, with one inserted run of bytes at most. */
    if (out.len < size)
        abort();
    size_t extra = out.len - size, head = 0;
    while (head < size && out.data[head] == data[head])
        head++;
    if (head < size && memcmp(out.data + head + extra, data + head, size - head) != 0)
        abort();
    if (f == JMAP_FORMAT_PDF && extra != 0)
        abort();
    free(out.data);
    return 0;
}
