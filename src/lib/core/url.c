#include "core/url.h"

#include <string.h>
#include "core/mem.h"

char *md_url_shown(const char *url)
{
    if (!url)
        return NULL;
    /* RFC 3986 3: scheme ":" "//" authority, the authority ending at the
     * first '/', '?' or '#'.  A host never holds '@', so everything up to
     * the last '@' in it is userinfo (taking the last hides a password
     * holding an unescaped '@' as well). */
    const char *sep = strstr(url, "://");
    if (!sep || strcspn(url, ":/?#") != (size_t)(sep - url))
        return md_xstrdup(url);
    const char *auth = sep + 3, *end = auth + strcspn(auth, "/?#"), *at = NULL;
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    if (!at)
        return md_xstrdup(url);
    return md_xasprintf("%.*s***%s", (int)(auth - url), url, at);
}
