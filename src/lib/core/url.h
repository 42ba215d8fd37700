/* url — how a URL is written into text.  Prefix md_url_.
 *
 * A repository URL may carry credentials (RFC 3986 3.2.1 userinfo:
 * http://user:password@host/, or a token as the user); they are for
 * libcurl only.  Every writer of a URL into text — messages, progress,
 * the manifest, cache file names — writes md_url_shown()'s form instead,
 * so a secret never reaches a terminal, a log, a file that travels with
 * the image, or a directory listing. */
#ifndef MD_CORE_URL_H
#define MD_CORE_URL_H

/* `url` with its userinfo (everything of the authority before its last
 * '@') replaced by "***": the authority "u:pw@host" is written "***@host".
 * A URL without userinfo, or without "scheme://", is returned unchanged.
 * Returns a malloc'd string the caller frees; `url` NULL gives NULL. */
char *md_url_shown(const char *url);

#endif
