/* The second floor: what every real build pays before drawing anything — fontconfig and Pango
 * set up, one line of text laid out, and an empty SVG written. */
#include <cairo-svg.h>
#include <pango/pangocairo.h>
#include <stdio.h>

static cairo_status_t discard(void *closure, const unsigned char *data, unsigned int length)
{
    (void)closure;
    (void)data;
    (void)length;
    return CAIRO_STATUS_SUCCESS;
}

int main(void)
{
    PangoFontMap *fm = pango_cairo_font_map_new();
    PangoContext *ctx = pango_font_map_create_context(fm);
    pango_cairo_context_set_resolution(ctx, 72);
    PangoLayout *layout = pango_layout_new(ctx);
    PangoFontDescription *fd = pango_font_description_from_string("Inter 9");
    pango_layout_set_font_description(layout, fd);
    pango_layout_set_text(layout, "Friend's Instagram post", -1);
    int w, h;
    pango_layout_get_size(layout, &w, &h);
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(discard, NULL, 100, 100);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    pango_font_description_free(fd);
    g_object_unref(layout);
    g_object_unref(ctx);
    g_object_unref(fm);
    return w > 0 ? 0 : 1;
}
